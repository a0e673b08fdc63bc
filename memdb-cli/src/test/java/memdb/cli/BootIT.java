package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import memdb.oplog.FileOpLog;
import memdb.oplog.FsyncPolicy;
import memdb.oplog.OpLog;
import memdb.oplog.OpLogOptions;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memdb server} on a port another process holds, with a data directory whose log takes a while to
 * replay: the node stops at once with the port's sentence (exit 5), before it reads the log (found by the
 * session-8 walk: it replayed the whole log first), and leaves the directory unlocked for the next start; a
 * bad setting is a usage error in the command line's words.
 */
class BootIT {
    private static final String KEY = "boot-it-key";
    private static final int RECORDS = 200_000;

    @TempDir
    Path root;

    @Test
    void aPortInUseIsReportedBeforeTheReplayAndLeavesTheDataDirUnlocked() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root);
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path home = processes.newHome("node");
            Path dataDir = home.resolve("db");
            writeLog(dataDir);
            Map<String, String> env = MemdbProcesses.environment(home);
            String busy = String.valueOf(taken.getLocalPort());
            String free = String.valueOf(MemdbProcesses.freePort());

            MemdbProcesses.Result dataPort = processes.run(env, new byte[0], serverArgs(dataDir, busy, free));
            assertEquals(5, dataPort.exitCode(), dataPort.stderr());
            assertTrue(dataPort.stderr().startsWith("memdb: cannot listen on 127.0.0.1:" + busy + ": ")
                    && dataPort.stderr().contains("Address already in use"), dataPort.stderr());
            assertFalse(dataPort.stderr().contains("op log: replayed"), "stopped before the replay: " + dataPort.stderr());
            assertEquals(1, dataPort.stderr().lines().count(), dataPort.stderr());

            MemdbProcesses.Result adminPort = processes.run(env, new byte[0], serverArgs(dataDir, free, busy));
            assertEquals(5, adminPort.exitCode(), adminPort.stderr());
            assertTrue(adminPort.stderr().startsWith("memdb: cannot listen for the admin API on 127.0.0.1:" + busy + ": "),
                    adminPort.stderr());
            assertFalse(adminPort.stderr().contains("op log: replayed"), adminPort.stderr());

            MemdbProcesses.Server server = processes.startServer(home, "--auth-key", KEY, "--data-dir", dataDir.toString());
            assertTrue(server.stderr().toString().contains("op log: replayed " + RECORDS + " records"), server.stderr().toString());
            assertTrue(server.stderr().toString().contains(", lock and ports "), server.stderr().toString());
            MemdbProcesses.Result read = processes.run(processes.clientEnvironment(server, KEY), new byte[0], "get", "key-" + (RECORDS - 1));
            assertEquals(0, read.exitCode(), read.stderr());
            assertEquals(value(RECORDS - 1) + "\n", read.stdout());
        }
    }

    /** A bad setting, wherever it was given, is one usage line like the command line's own (exit 2), before anything starts. */
    @Test
    void aBadSettingIsAOneLineUsageError() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            Path home = processes.newHome("node");
            Map<String, String> env = new java.util.HashMap<>(MemdbProcesses.environment(home));
            String port = String.valueOf(MemdbProcesses.freePort());
            assertUsageError(processes.run(env, new byte[0], "server", "--port", port, "--admin-port", port),
                    "invalid admin-port '" + port + "' (from option --admin-port): it is also the port, and each listener needs its own"
                            + " port (see 'memdb server --help')");
            Path conf = java.nio.file.Files.writeString(home.resolve("memdb.conf"), "# test\nprot = 1\n");
            assertUsageError(processes.run(env, new byte[0], "join", "127.0.0.1:" + port, "--config", conf.toString()),
                    "unknown setting 'prot' (from " + conf + " line 2) (see 'memdb join --help')");
            env.put("MEMDB_FSYNC", "often");
            assertUsageError(processes.run(env, new byte[0], "server", "--port", port),
                    "invalid fsync 'often' (from environment variable MEMDB_FSYNC): expected always, everysec or no"
                            + " (see 'memdb server --help')");
        }
    }

    private static void assertUsageError(MemdbProcesses.Result result, String sentence) {
        assertEquals(2, result.exitCode(), result.stderr());
        assertEquals("memdb: " + sentence + "\n", result.stderr());
    }

    private static String[] serverArgs(Path dataDir, String port, String adminPort) {
        List<String> args = new ArrayList<>(List.of("server", "--auth-key", KEY, "--data-dir", dataDir.toString(),
                "--port", port, "--admin-port", adminPort));
        return args.toArray(String[]::new);
    }

    private static String value(int i) {
        return "value-" + i + "-".repeat(64);
    }

    private static void writeLog(Path dataDir) throws IOException {
        try (FileOpLog log = FileOpLog.open(dataDir, OpLogOptions.defaults().withFsync(FsyncPolicy.NO), new Store())) {
            for (int i = 0; i < RECORDS; i++) {
                log.append(OpLog.Op.SET, Key.of("key-" + i), new Timestamp(i + 1, 1), value(i).getBytes(StandardCharsets.UTF_8));
            }
            log.commit(() -> { });
        }
    }
}
