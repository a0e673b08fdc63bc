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
 * session-8 walk: it replayed the whole log first), and leaves the directory unlocked for the next start.
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
