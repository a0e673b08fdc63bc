package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command line that does not parse is one line on stderr (the reason, a guess for a typo, where the help
 * is), exit 2, nothing on stdout, and no help page; also what a bad seed and an I/O failure print.
 */
class UsageErrorsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Session session, Map<String, String> env, String... args) {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, Io.Ttys.NONE);
        return Main.run(io, session, args);
    }

    private String runForError(String line) {
        int exitCode = run(Session.oneShot(), Map.of("NO_COLOR", "1"), line.split(" +"));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.USAGE, exitCode, stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertEquals(0, out.size(), out.toString(StandardCharsets.UTF_8));
        return stderr.strip();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "get                          | memdb: missing required parameter: 'KEY' (see 'memdb get --help')",
        "gett k                       | memdb: unknown command 'gett'; did you mean get? (see 'memdb --help')",
        "compact /tmp/d               | memdb: unknown command 'compact'; did you mean log-compact? (see 'memdb --help')",
        "frobnicate                   | memdb: unknown command 'frobnicate' (see 'memdb --help')",
        "get k --qurom 2              | memdb: unknown option '--qurom'; did you mean --quorum? (see 'memdb get --help')",
        "server --prot 17300          | memdb: unknown option '--prot'; did you mean --port? (see 'memdb server --help')",
        "get k -x                     | memdb: unknown option '-x'; if '-x' is a key or value, put -- before it (see 'memdb get --help')",
        "get a b                      | memdb: unexpected argument 'b' (see 'memdb get --help')",
        "counter                      | memdb: a subcommand is needed: incr, decr or get (see 'memdb counter --help')",
        "cluster stauts               | memdb: unknown command 'stauts'; did you mean status? (see 'memdb cluster --help')",
        "counter incr visits abc      | 'abc' is not a long (see 'memdb counter incr --help')",
        "get k --quorum many          | 'many' is not an int (see 'memdb get --help')",
        "get k -o yaml                | memdb: --output must be auto, text, table, json or raw, not 'yaml' (see 'memdb get --help')",
        "set k v --consistency MOST   | memdb: --consistency must be ONE, QUORUM or ALL, not 'MOST' (see 'memdb set --help')",
    })
    void aBadCommandLineIsOneLineNotTheHelpPage(String line, String expected) {
        String stderr = runForError(line);
        assertTrue(stderr.endsWith(expected), stderr);
        assertTrue(stderr.startsWith("memdb: "), stderr);
        assertFalse(stderr.contains("Usage:"), stderr);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "set k -hello | memdb: unknown option '-hello'; if '-hello' is a key or value, put -- before it (see 'memdb set --help')",
        "get -hello   | memdb: unknown option '-hello'; if '-hello' is a key or value, put -- before it (see 'memdb get --help')",
        "get -nope    | memdb: unknown option '-nope'; if '-nope' is a key or value, put -- before it (see 'memdb get --help')",
    })
    void aValueBeginningWithADashIsNeitherHelpNorAClusterOfOptions(String line, String expected) {
        assertEquals(expected, runForError(line));
    }

    @Test
    void aValueBeginningWithADashGoesAfterDoubleDashAndQuorumRefusesAConsistency(@TempDir Path data) {
        try (InProcessNode node = InProcessNode.start(data)) {
            Cli cli = Cli.piped(node);
            assertEquals(0, cli.run("set", "k", "--", "-hello").exitCode());
            assertEquals("-hello\n", cli.run("get", "k").stdout());
            assertEquals(ExitCode.NOT_FOUND, cli.run("get", "--", "-absent").exitCode());
            assertEquals("-5\n", cli.run("counter", "incr", "c", "-5").stdout());
            assertEquals("0\n", cli.run("counter", "decr", "c", "-5").stdout());
            Cli.Result both = cli.run("get", "k", "--quorum", "1", "--consistency", "ALL");
            assertEquals(ExitCode.USAGE, both.exitCode());
            assertEquals("memdb: --quorum and --consistency cannot be combined\n", both.stderr());
            assertEquals(ExitCode.USAGE, cli.run("counter", "get", "c", "--quorum", "1", "--consistency", "ONE").exitCode());
        }
    }

    @Test
    void setWithoutAValueOnATerminalSaysItIsReadingStandardInput(@TempDir Path data) {
        try (InProcessNode node = InProcessNode.start(data)) {
            Cli.Result typed = Cli.piped(node).withTerminal(new Io.Ttys(true, false, false))
                    .withStdin("typed\n".getBytes(StandardCharsets.UTF_8)).run("set", "k");
            assertEquals(0, typed.exitCode(), typed.stderr());
            assertEquals("memdb: reading the value from standard input; end it with Ctrl-D\n", typed.stderr());
            Cli.Result piped = Cli.piped(node).withStdin("piped".getBytes(StandardCharsets.UTF_8)).run("set", "k");
            assertEquals("", piped.stderr());
            assertEquals("piped\n", Cli.piped(node).run("get", "k").stdout());
        }
    }

    @Test
    void helpShowsASubcommandsHelpAndRefusesAnUnknownName() {
        assertEquals(ExitCode.OK, run(Session.oneShot(), Map.of("NO_COLOR", "1"), "help", "cluster", "status"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: memdb cluster status "), out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(ExitCode.OK, run(Session.oneShot(), Map.of("NO_COLOR", "1"), "help", "counter", "incr"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: memdb counter incr "), out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals("memdb: unknown command 'stauts'; did you mean status? (see 'memdb cluster --help')",
                runForError("help cluster stauts"));
    }

    @Test
    void inTheReplTheHintIsTheReplsOwnCommand() {
        try (Session session = Session.interactive()) {
            assertEquals(ExitCode.USAGE, run(session, Map.of("NO_COLOR", "1"), "get"));
            assertEquals(ExitCode.USAGE, run(session, Map.of("NO_COLOR", "1"), "gett"));
        }
        assertEquals(List.of("memdb: missing required parameter: 'KEY' (see 'get --help')",
                "memdb: unknown command 'gett'; did you mean get? (see 'help')"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void aLinePastedFromTheShellRunsInTheReplWithoutItsMemdb() {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("NO_COLOR", "1"), Io.Ttys.NONE);
        try (Session session = Session.interactive()) {
            assertEquals(ExitCode.USAGE, ReplCommand.execute(List.of("memdb", "get"), io, session));
            assertEquals(ExitCode.USAGE, ReplCommand.execute(List.of("memdb", "repl"), io, session));
            assertEquals(ExitCode.OK, ReplCommand.execute(List.of("memdb", "--version"), io, session));
        }
        assertEquals(List.of("memdb: missing required parameter: 'KEY' (see 'get --help')", "memdb: already in the REPL"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("memdb "), out.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-s 127.0.0.1:99999 | memdb: bad --seeds: 127.0.0.1:99999: port must be 1..65535, got 99999",
        "-s garbage         | memdb: bad --seeds: node address \"garbage\" must look like host:port",
        "-s 127.0.0.1:x     | memdb: bad --seeds: node address \"127.0.0.1:x\" has a port that is not a number",
    })
    void aBadSeedIsAUsageErrorNotAnInternalError(String seeds, String expected) {
        String[] args = ("get k -a key " + seeds).split(" +");
        assertEquals(ExitCode.USAGE, run(Session.oneShot(), Map.of("NO_COLOR", "1"), args));
        assertEquals(expected, err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void aBadSeedInTheEnvironmentNamesTheVariable() {
        assertEquals(ExitCode.USAGE, run(Session.oneShot(), Map.of("NO_COLOR", "1", "MEMDB_SEEDS", "nohostport"),
                "get", "k", "-a", "key"));
        assertEquals("memdb: bad MEMDB_SEEDS: node address \"nohostport\" must look like host:port",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cluster status --admin garbage            | memdb: bad --admin: node address \"garbage\" must look like host:port",
        "cluster kill 3 --admin 127.0.0.1:99999    | memdb: bad --admin: 127.0.0.1:99999: port must be 1..65535, got 99999",
        "config get --node 127.0.0.1:1 --node h:0  | memdb: bad --node: h:0: port must be 1..65535, got 0",
    })
    void aBadAdminAddressIsAUsageError(String line, String expected) {
        assertEquals(ExitCode.USAGE, run(Session.oneShot(), Map.of("NO_COLOR", "1"), (line + " -a key").split(" +")));
        assertEquals(expected, err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void anAdminAddressThatIsNotHttpSaysItMayBeTheDataPort() throws Exception {
        int exitCode;
        try (ServerSocket notHttp = answering(new byte[] {0, 0, 0, 9, 1, 2, 3, (byte) 0xdb, '\n', '\n'})) {
            String address = "127.0.0.1:" + notHttp.getLocalPort();
            exitCode = run(Session.oneShot(), Map.of("NO_COLOR", "1"), "cluster", "status", "--admin", address, "-a", "key",
                    "--timeout-ms", "15000");
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.USAGE, exitCode, stderr);
        assertTrue(stderr.contains("answered, but not in HTTP: is it a node's data port?"), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
    }

    /** A loopback server that answers every connection with {@code answer} once something arrives, until closed. */
    private static ServerSocket answering(byte[] answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream().write(answer);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // closed by the test, or the client hung up: next connection or done
                }
            }
        }, "answering");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariableNotTheOption() {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("NO_COLOR", "1"), Io.Ttys.NONE);
        CommandLine get = Main.commandLine(io).getSubcommands().get("get");
        OptionSpec timeout = get.getCommandSpec().findOption("--timeout-ms");
        // what picocli throws for MEMDB_TIMEOUT_MS=abc (it reads the real environment, which a test cannot set)
        ParameterException fromEnvironment = new ParameterException(get,
                "Invalid value for option '--timeout-ms': 'abc' is not a long", timeout, "abc");
        assertEquals(ExitCode.USAGE, UsageErrors.report(io, Session.oneShot(), fromEnvironment, "get", "k"));
        assertEquals(ExitCode.USAGE, UsageErrors.report(io, Session.oneShot(), fromEnvironment, "get", "k", "--timeout-ms=abc"));
        assertEquals(List.of("memdb: MEMDB_TIMEOUT_MS is 'abc', which is not a valid --timeout-ms (see 'memdb get --help')",
                "memdb: invalid value for option '--timeout-ms': 'abc' is not a long (see 'memdb get --help')"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void anAdminApiWithoutTlsSaysSoWhenTlsIsAskedFor() throws Exception {
        int exitCode;
        try (ServerSocket plainHttp = answering("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))) {
            exitCode = run(Session.oneShot(), Map.of("NO_COLOR", "1"), "cluster", "status", "--tls", "-a", "key",
                    "--admin", "127.0.0.1:" + plainHttp.getLocalPort(), "--timeout-ms", "15000");
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.AUTH_REFUSED, exitCode, stderr);
        assertTrue(stderr.contains("does not speak TLS: connect without TLS"), stderr);
    }

    @Test
    void compactingADirectoryWithoutALogIsAUsageErrorNotAnInternalError(@TempDir Path empty) {
        assertEquals(ExitCode.USAGE, run(Session.oneShot(), Map.of("NO_COLOR", "1"), "log-compact", empty.toString()));
        assertEquals("memdb: " + empty + " holds no op log to compact; is it a node's data directory (--data-dir)?",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void aDamagedLogIsReportedWithTheRemedyOfTheCommandThatMetIt(@TempDir Path data) throws IOException {
        try (InProcessNode node = InProcessNode.start(data)) {
            Cli cli = Cli.piped(node);
            for (int i = 0; i < 50; i++) assertEquals(0, cli.run("set", "key" + i, "v".repeat(100)).exitCode());
        }
        Path segment;
        try (var files = Files.list(data)) {
            segment = files.filter(f -> f.getFileName().toString().startsWith("log-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) bytes[i] ^= (byte) 0xff;
        Files.write(segment, bytes);
        Cli offline = new Cli(Map.of("NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);

        Cli.Result dump = offline.run("log-dump", data.toString());
        assertEquals(ExitCode.SERVER_ERROR, dump.exitCode(), dump.stderr());
        assertTrue(dump.stderr().startsWith("memdb: op log is damaged in " + segment + " at offset "), dump.stderr());
        assertTrue(dump.stderr().strip().endsWith("; memdb log-dump --force-recover skips the damaged bytes"), dump.stderr());
        assertFalse(dump.stderr().contains("Restart"), dump.stderr());
        assertEquals(0, offline.run("log-dump", data.toString(), "--force-recover").exitCode());

        Cli.Result compact = offline.run("log-compact", data.toString(), "--dry-run");
        assertEquals(ExitCode.SERVER_ERROR, compact.exitCode(), compact.stderr());
        assertTrue(compact.stderr().contains("; start the node once with --force-recover"), compact.stderr());
        assertEquals(1, compact.stderr().lines().count(), compact.stderr());
    }

    @Test
    void anIoFailureSaysItsReasonOnceAndWhatHappenedToTheFile() throws IOException {
        IOException inUse = new IOException("bind(..) failed: Address already in use");
        assertEquals("cannot listen on 127.0.0.1:1: bind(..) failed: Address already in use", Main.describe(
                new UncheckedIOException("cannot listen on 127.0.0.1:1: " + inUse.getMessage(), inUse)));
        NoSuchFileException missing = new NoSuchFileException("/proc/nope");
        assertEquals("cannot create data dir /proc/nope: no such file or directory", Main.describe(
                new UncheckedIOException("cannot create data dir /proc/nope: " + missing.getMessage(), missing)));
        assertEquals("opening the log: /d/x: no such file or directory",
                Main.describe(new UncheckedIOException("opening the log", new NoSuchFileException("/d/x"))));
        assertEquals("/d/x: no such file or directory", Main.describe(new NoSuchFileException("/d/x")));
        Path file = Files.createTempFile("memdb-data-dir", ".txt");
        try {
            assertEquals("cannot create data dir " + file + ": exists and is a file, not a directory",
                    Main.describe(new UncheckedIOException("cannot create data dir " + file + ": " + file,
                            new java.nio.file.FileAlreadyExistsException(file.toString()))));
        } finally {
            Files.delete(file);
        }
        assertEquals("cannot listen on nosuch.invalid:1: unknown host", Main.describe(new UncheckedIOException(
                "cannot listen on nosuch.invalid:1: null", new IOException(new java.nio.channels.UnresolvedAddressException()))));
    }
}
