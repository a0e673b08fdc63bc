package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import memdb.cli.bench.BenchPlan;
import memdb.cli.bench.BenchTest;
import memdb.cli.bench.Warmup;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code memdb bench} options: defaults, parsing, and the usage errors that come before any connection. */
class BenchCommandTest {
    private static BenchCommand parse(String... args) {
        MemdbCommand rootCommand = new MemdbCommand(io(new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        CommandLine commandLine = new CommandLine(rootCommand);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult result = commandLine.parseArgs(args);
        return (BenchCommand) result.subcommand().commandSpec().userObject();
    }

    private static Io io(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("MEMDB_AUTH_KEY", "k"));
    }

    @Test
    void defaultsAreRedisBenchmarksOnASingleKey() {
        BenchPlan plan = parse("bench").plan();
        assertEquals(List.of(BenchTest.SET, BenchTest.GET, BenchTest.CONTAINS, BenchTest.QUORUM_GET, BenchTest.DELETE),
                plan.tests());
        assertEquals(100_000, plan.requests());
        assertEquals(50, plan.clients());
        assertEquals(1, plan.pipeline());
        assertEquals(3, plan.valueBytes());
        assertEquals(0, plan.keyspace());
        assertEquals(Consistency.DEFAULT, plan.consistency());
        assertEquals(Warmup.AUTO, plan.warmup());
        assertEquals(Duration.ofSeconds(300), plan.timeLimit());
        assertEquals(Duration.ofMillis(5000), plan.requestTimeout());
    }

    @Test
    void everyOptionReachesThePlan() {
        BenchPlan plan = parse("bench", "-t", "get, SET,quorum-get", "-n", "2000", "-c", "4", "-d", "100", "-P", "16",
                "-r", "1000", "--seed", "7", "--warmup", "500", "--consistency", "quorum", "--time-limit-s", "10", "--timeout-ms", "250",
                "-s", "127.0.0.1:1", "-a", "k").plan();
        assertEquals(List.of(BenchTest.GET, BenchTest.SET, BenchTest.QUORUM_GET), plan.tests());
        assertEquals(new BenchPlan(plan.tests(), 2000, 4, 16, 100, 1000, Consistency.QUORUM, 7, Warmup.ofRequests(500),
                Duration.ofSeconds(10), Duration.ofMillis(250)), plan);
    }

    @Test
    void durationRunsEachTestForItsSecondsWithNoRequestCapUnlessOneIsGivenAndConnectionsReachThePlan() {
        BenchPlan plan = parse("bench", "-t", "get", "--duration", "300", "--time-limit-s", "400", "-c", "1000",
                "--connections", "1000").plan();
        assertEquals(Duration.ofSeconds(300), plan.duration());
        assertEquals(BenchPlan.REQUESTS_MAX, plan.requests());
        assertEquals(1000, plan.connections());
        assertEquals(5000, parse("bench", "-t", "get", "--duration", "5", "-n", "5000").plan().requests());
        assertEquals(Duration.ZERO, parse("bench").plan().duration());
        // the time limit covers each test's duration and its automatic warm-up's bound; a fixed warm-up is the user's count
        assertEquals(Duration.ofSeconds(290), parse("bench", "-t", "get", "--duration", "290").plan().duration());
        assertEquals(Duration.ofSeconds(300), parse("bench", "-t", "get", "--duration", "300", "--warmup", "0").plan().duration());
        assertEquals(1, parse("bench").plan().connections());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--duration -1    | --duration must be between 0 and",
        "--duration 200   | --duration times the number of tests (plus 10 s of warm-up each with --warmup auto) must fit in --time-limit-s",
        "-t get --duration 295 | --duration times the number of tests (plus 10 s of warm-up each",
        "--connections 0  | --connections must be between 1 and -c",
        "-c 2 --connections 3 | --connections must be between 1 and -c",
        "-t ping          | unknown test 'ping'",
        "-t set,,get      | empty test name",
        "-t get,get       | names get twice",
        "-n 0             | -n must be between 1 and",
        "-c 0             | -c must be between 1 and",
        "-P 0             | -P must be between 1 and",
        "-c 1000 -P 1000  | -c times -P must be at most",
        "-d -1            | -d must be between 0 and",
        "-d 2000000       | -d must be between 0 and",
        "-r -5            | -r must be positive",
        "--warmup -1      | --warmup must be auto or between 0 and",
        "--warmup soon    | --warmup must be auto or between 0 and",
        "--time-limit-s 0 | --time-limit-s must be between 1 and",
        "--timeout-ms 0   | --timeout-ms must be positive",
        "--csv --json     | --csv and --json cannot be combined",
    })
    void badOptionsAreOneSentenceUsageErrorsBeforeAnyConnection(String options, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("bench", "-s", "127.0.0.1:1"));
        args.addAll(List.of(options.trim().split(" +")));
        int exitCode = Main.run(io(out, err), args.toArray(String[]::new));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.USAGE, exitCode, stderr);
        assertTrue(stderr.startsWith("memdb: ") && stderr.contains(expected), stderr);
        assertEquals(1, stderr.strip().lines().count(), stderr);
        assertEquals(0, out.size());
    }

    @Test
    void casIsATest() {
        assertEquals(List.of(BenchTest.CAS, BenchTest.INCR), parse("bench", "-t", "cas,incr").plan().tests());
    }

    @Test
    void anUnknownTestListsEveryTest() {
        UserError error = assertThrows(UserError.class, () -> parse("bench", "-t", "ping").plan());
        assertEquals(ExitCode.USAGE, error.exitCode());
        assertEquals("-t: unknown test 'ping'; choose from set,get,contains,quorum-get,delete,incr,cas", error.getMessage());
    }

    @Test
    void incrIsATest() {
        assertEquals(List.of(BenchTest.INCR, BenchTest.GET), parse("bench", "-t", "incr,get").plan().tests());
    }

    @Test
    void noNodeReachableIsExitCodeThree() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int port = freePort();
        int exitCode = Main.run(io(out, err), "bench", "-s", "127.0.0.1:" + port, "-n", "10",
                "--timeout-ms", "1000");
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.UNAVAILABLE, exitCode, stderr);
        assertEquals(1, stderr.strip().lines().count(), stderr);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
