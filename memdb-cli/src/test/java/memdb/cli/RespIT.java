package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RESP listener (issue 8) against the real tools: redis-cli and redis-benchmark talk to a real node
 * started with --resp-port, and what they write is what the native protocol reads (same storage path);
 * two nodes answer each other's writes. Skipped, saying why, where redis-cli is not installed
 * (.ci/run installs it).
 */
class RespIT {
    private static final String KEY = "resp-it-key";

    @TempDir
    Path root;

    @BeforeAll
    static void redisToolsInstalled() {
        assumeTrue(onPath("redis-cli") && onPath("redis-benchmark"),
                "redis-cli / redis-benchmark are not installed (apt-get install redis-tools): skipping the RESP end-to-end test");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    @Test
    void redisCliAndRedisBenchmarkWorkAgainstANode() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            int respPort = MemdbProcesses.freePort();
            MemdbProcesses.Server server = processes.startSingleNode(KEY, "--resp-port", Integer.toString(respPort));
            awaitRespPort(respPort);
            assertEquals("NOAUTH Authentication required.\n\n", cli(processes, respPort, null, "PING").stdout());
            assertEquals("PONG\n", cli(processes, respPort, KEY, "PING").stdout());
            assertEquals("OK\n", cli(processes, respPort, KEY, "SET", "greeting", "hello from redis-cli").stdout());
            assertEquals("hello from redis-cli\n", cli(processes, respPort, KEY, "GET", "greeting").stdout());
            assertEquals("\n", cli(processes, respPort, KEY, "GET", "missing").stdout(), "nil prints as an empty line when piped");

            MemdbProcesses.Result nativeGet = processes.run(processes.clientEnvironment(server, KEY), new byte[0], "get", "greeting");
            assertEquals("hello from redis-cli\n", nativeGet.stdout(), "the native protocol reads what RESP wrote");
            MemdbProcesses.Result nativeSet = processes.run(processes.clientEnvironment(server, KEY), new byte[0], "set", "n", "native");
            assertEquals(0, nativeSet.exitCode(), nativeSet.stderr());
            assertEquals("native\n", cli(processes, respPort, KEY, "GET", "n").stdout(), "and RESP reads what the native protocol wrote");

            String piped = "MSET a 1 b 2\nMGET a b nope\nEXISTS a b nope\nDEL a b nope\nEXISTS a\nINCR counter\nSET k v EX 10\nSELECT 1\nHELLO 3\nFLUSHALL\n";
            MemdbProcesses.Result batch = cli(processes, respPort, KEY, piped);
            // redis-cli, piped, prints nil as an empty line and follows each error with one
            assertEquals(String.join("\n", "OK", "1", "2", "", "2", "2", "0",
                    "1",
                    "ERR SET option 'EX' is not supported by MemDB (keys do not expire, and SET is unconditional): use SET key value", "",
                    "ERR DB index is out of range (MemDB has database 0 only)", "",
                    "NOPROTO unsupported protocol version 3: this server speaks RESP2 only (HELLO 2)", "",
                    "ERR unknown command 'FLUSHALL', with args beginning with: ", "") + "\n", batch.stdout(), batch.stderr());
            assertTrue(cli(processes, respPort, KEY, "INFO", "keyspace").stdout().contains("db0:keys=2,"), "greeting and n");
            assertEquals("save\n\nappendonly\nyes\n", cli(processes, respPort, KEY, "CONFIG", "GET", "save", "appendonly").stdout());
            MemdbProcesses.Result wrongKey = cli(processes, respPort, "wrong", "PING");
            assertTrue(wrongKey.stderr().contains("AUTH failed: WRONGPASS"), wrongKey.stdout() + wrongKey.stderr());
            long started = System.nanoTime();
            cli(processes, respPort, "wrong", "PING"); // the address's second failure: answered after 200 ms
            MemdbProcesses.Result third = cli(processes, respPort, "wrong", "PING"); // the third: 400 ms
            long slowedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(third.stderr().contains("AUTH failed: WRONGPASS"), third.stdout() + third.stderr());
            assertTrue(slowedMs >= 600, "repeated wrong keys are slowed down (200 + 400 ms): " + slowedMs + " ms");

            MemdbProcesses.Result bench = run(processes, List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(respPort),
                    "-a", KEY, "-t", "set,get,ping", "-n", "2000", "-q"), new byte[0]);
            assertEquals(0, bench.exitCode(), bench.stdout() + bench.stderr());
            for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET")) {
                assertTrue(bench.stdout().lines().anyMatch(line -> line.startsWith(test + ": ") && line.contains("requests per second")),
                        test + " in:\n" + bench.stdout() + bench.stderr());
            }
            assertEquals(4, cli(processes, respPort, KEY, "GET", "key:__rand_int__").stdout().length(),
                    "redis-benchmark's SET stored its 3-byte value (and a newline)");
            assertTrue(server.process().isAlive(), server.stderr().toString());
        }
    }

    @Test
    void aWriteThroughOneNodesRespPortIsReadThroughAnothers() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            int[] respPorts = {MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
            Map<String, String> fastGossip = Map.of("MEMDB_GOSSIP_INTERVAL_MS", "100", "MEMDB_DOWN_AFTER_MS", "1000");
            for (int i = 0; i < 2; i++) {
                Path home = processes.newHome("node" + (i + 1));
                processes.startServer(home, ports[i], fastGossip, "--node-id", Integer.toString(i + 1), "--seeds", seeds,
                        "--auth-key", KEY, "--data-dir", home.resolve("db").toString(), "--resp-port", Integer.toString(respPorts[i]));
                awaitRespPort(respPorts[i]);
            }
            long deadline = System.nanoTime() + MemdbProcesses.START_TIMEOUT.toNanos();
            String seen = "";
            for (int round = 0; System.nanoTime() < deadline && !seen.equals("round " + round + "\n"); ) {
                round++;
                cli(processes, respPorts[0], KEY, "SET", "shared", "round " + round);
                seen = cli(processes, respPorts[1], KEY, "GET", "shared").stdout();
                if (!seen.equals("round " + round + "\n")) Thread.sleep(200); // until the nodes know each other
                else break;
            }
            assertTrue(seen.startsWith("round "), "node 2 never served node 1's write: " + seen);
        }
    }

    /** The RESP port is bound just after the native one that MemdbProcesses waits for. */
    private static void awaitRespPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + MemdbProcesses.START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on the RESP port " + port);
    }

    /** redis-cli against the node; {@code args} of one element with newlines is fed on stdin instead. */
    private static MemdbProcesses.Result cli(MemdbProcesses processes, int port, String authKey, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        if (authKey != null) command.addAll(List.of("--no-auth-warning", "-a", authKey));
        byte[] stdin = new byte[0];
        if (args.length == 1 && args[0].contains("\n")) stdin = args[0].getBytes(StandardCharsets.UTF_8);
        else command.addAll(List.of(args));
        return run(processes, command, stdin);
    }

    private static MemdbProcesses.Result run(MemdbProcesses processes, List<String> command, byte[] stdin) throws Exception {
        return processes.runCommand(command, Map.of(), stdin);
    }
}
