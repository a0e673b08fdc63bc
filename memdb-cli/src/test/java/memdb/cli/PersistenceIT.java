package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import memdb.client.MemDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability with real processes (issue 3): with fsync=always, every write the node acknowledged
 * survives SIGKILL mid-stream, and nothing that was never written appears; then the offline compactor
 * shrinks the log of the stopped node without changing its data, and refuses a log in use.
 */
class PersistenceIT {
    private static final String KEY = "persistence-it-key";
    private static final int CRASH_CYCLES = 3;

    @TempDir
    Path root;

    @Test
    void acknowledgedWritesSurviveSigkillAndCompactionKeepsTheData() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            Path home = processes.newHome("node");
            Path dataDir = home.resolve("db");
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            Map<String, String> attempted = new ConcurrentHashMap<>();
            for (int cycle = 0; cycle < CRASH_CYCLES; cycle++) {
                MemdbProcesses.Server server = start(processes, home, dataDir);
                verify(server, acknowledged, attempted, "after crash " + cycle);
                writeUntilKilled(server, "c" + cycle, acknowledged, attempted);
            }
            MemdbProcesses.Server server = start(processes, home, dataDir);
            verify(server, acknowledged, attempted, "after the last crash");
            overwriteEveryKey(server, acknowledged);

            Map<String, String> env = MemdbProcesses.environment(home);
            MemdbProcesses.Result refused = processes.run(env, new byte[0], "log-compact", dataDir.toString());
            assertEquals(3, refused.exitCode(), "a log in use is refused: " + refused.stderr());

            MemdbProcesses.terminate(server);
            long before = directoryBytes(dataDir);
            MemdbProcesses.Result compacted = processes.run(env, new byte[0], "log-compact", dataDir.toString());
            assertEquals(0, compacted.exitCode(), compacted.stderr());
            assertTrue(compacted.stdout().contains("ratio"), compacted.stdout());
            long after = directoryBytes(dataDir);
            assertTrue(after < before, "compaction shrank the log: " + before + " -> " + after);

            MemdbProcesses.Result dump = processes.run(env, new byte[0], "log-dump", dataDir.toString());
            assertEquals(0, dump.exitCode(), dump.stderr());
            assertTrue(dump.stdout().lines().count() >= acknowledged.size(), "one JSON line per kept record");

            attempted.clear(); // overwritten values are acknowledged; the un-acknowledged keys were checked above
            verify(start(processes, home, dataDir), acknowledged, attempted, "after compaction");
        }
    }

    private static MemdbProcesses.Server start(MemdbProcesses processes, Path home, Path dataDir) throws Exception {
        return processes.startServer(home, "--auth-key", KEY, "--data-dir", dataDir.toString(), "--fsync", "always");
    }

    /** Pipelined writes (64 in flight) until the node is killed with SIGKILL about 400 ms in. */
    private static void writeUntilKilled(MemdbProcesses.Server server, String prefix, Map<String, String> acknowledged,
                                         Map<String, String> attempted) throws Exception {
        try (MemDb db = MemdbProcesses.client(server.port(), KEY)) {
            Semaphore inFlight = new Semaphore(64);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            for (int i = 0; i < 1_000_000 && server.process().isAlive(); i++) {
                if (System.nanoTime() > killAt) {
                    server.process().destroyForcibly(); // SIGKILL, mid-stream
                    break;
                }
                if (!inFlight.tryAcquire(2, TimeUnit.SECONDS)) break;
                String key = prefix + "-k" + i;
                String value = prefix + "-v" + i;
                attempted.put(key, value);
                writes.add(db.setAsync(key, value).whenComplete((ok, failure) -> {
                    inFlight.release();
                    if (failure == null) acknowledged.put(key, value);
                }));
            }
            server.process().waitFor(10, TimeUnit.SECONDS);
            for (CompletableFuture<Void> w : writes) w.handle((ok, failure) -> null).get(10, TimeUnit.SECONDS);
        }
    }

    private static void overwriteEveryKey(MemdbProcesses.Server server, Map<String, String> acknowledged) {
        try (MemDb db = MemdbProcesses.client(server.port(), KEY)) {
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                    String value = e.getValue().replaceAll("#.*", "") + "#" + round;
                    writes.add(db.setAsync(e.getKey(), value).thenRun(() -> acknowledged.put(e.getKey(), value)));
                }
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            }
        }
    }

    /** Every acknowledged key holds its value; every key attempted but not acknowledged holds nothing or its value. */
    private static void verify(MemdbProcesses.Server server, Map<String, String> acknowledged, Map<String, String> attempted,
                               String when) {
        try (MemDb db = MemdbProcesses.client(server.port(), KEY)) {
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                assertEquals(e.getValue(), db.get(e.getKey()), when + ": acknowledged " + e.getKey());
            }
            for (Map.Entry<String, String> e : attempted.entrySet()) {
                if (acknowledged.containsKey(e.getKey())) continue;
                String found = db.get(e.getKey());
                assertTrue(found == null || found.equals(e.getValue()), when + ": never written: " + e.getKey() + "=" + found);
            }
        }
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
