package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.protocol.Consistency;
import memdb.protocol.MemDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CAS end to end on three real nodes (issue 6, docs/cas.md): the original README's lock loop
 * ({@code while (!db.cas("locked", "false", "true")) sleep}) run by several clients at once guards a
 * read-modify-write of another key, and no increment is lost; then the same with one node killed
 * mid-run (N = 3: a quorum of two still decides). Also: a false CAS really answers false, and the CLI's
 * {@code cas} and {@code get --serial} with their exit codes.
 */
class CasIT {
    private static final String KEY = "cas-it-key";
    private static final Map<String, String> FAST_GOSSIP = Map.of("MEMDB_GOSSIP_INTERVAL_MS", "100", "MEMDB_DOWN_AFTER_MS", "1000");
    private static final int CLIENTS = 4;
    private static final int INCREMENTS = 10;

    @TempDir
    Path root;

    @Test
    void theReadmeLockLoopLosesNoUpdate() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            String seeds = startCluster(processes, new ArrayList<>());
            try (MemDb db = connect(seeds)) {
                assertTrue(db.casIfAbsent("locked", "false"));
                assertEquals(false, db.cas("locked", "true", "false"), "a CAS whose expectation fails answers false");
                assertEquals(false, db.casIfAbsent("locked", "x"), "the key is not absent");
                assertEquals("false", db.serialGet("locked"));
                db.set("x", "0", Consistency.QUORUM);
                runClients(CLIENTS, () -> {
                    try (MemDb own = connect(seeds)) {
                        for (int i = 0; i < INCREMENTS; i++) {
                            while (!own.cas("locked", "false", "true")) Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
                            int x = Integer.parseInt(own.get("x", Consistency.QUORUM));
                            own.set("x", Integer.toString(x + 1), Consistency.QUORUM);
                            assertTrue(own.cas("locked", "true", "false"), "the holder releases the lock");
                        }
                    }
                    return null;
                });
                assertEquals(Integer.toString(CLIENTS * INCREMENTS), db.get("x", Consistency.QUORUM));
                assertEquals("false", db.serialGet("locked"));
            }
            cliCasAndSerialGet(processes, seeds);
        }
    }

    /**
     * With a node killed mid-run a CAS may fail or end with an unknown outcome, so each client writes its
     * own token as the lock value (instead of "true") and settles an unknown acquire or release with a
     * serial read; the counter is still exactly the number of increments.
     */
    @Test
    void theLockLoopLosesNoUpdateWhenANodeIsKilledMidRun() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            String seeds = startCluster(processes, nodes);
            AtomicInteger done = new AtomicInteger();
            try (MemDb db = connect(seeds)) {
                assertTrue(db.casIfAbsent("locked", "false"));
                db.set("x", "0", Consistency.ALL);
                ExecutorService killer = Executors.newSingleThreadExecutor();
                Future<?> kill = killer.submit(() -> {
                    while (done.get() < CLIENTS * INCREMENTS / 4) Thread.sleep(5);
                    nodes.get(2).process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    return null;
                });
                AtomicInteger ids = new AtomicInteger();
                runClients(CLIENTS, () -> {
                    String token = "client-" + ids.incrementAndGet();
                    try (MemDb own = connect(seeds)) {
                        for (int i = 0; i < INCREMENTS; i++) {
                            while (!settle(own, "false", token)) Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
                            int x = Integer.parseInt(retry(() -> own.get("x", Consistency.QUORUM)));
                            retry(() -> {
                                own.set("x", Integer.toString(x + 1), Consistency.QUORUM);
                                return null;
                            });
                            release(own, token);
                            done.incrementAndGet();
                        }
                    }
                    return null;
                });
                kill.get(60, TimeUnit.SECONDS);
                killer.shutdown();
                assertTrue(!nodes.get(2).process().isAlive(), "node 3 was killed during the run");
                assertEquals(Integer.toString(CLIENTS * INCREMENTS), db.get("x", Consistency.QUORUM));
            }
        }
    }

    /** Acquire (false -> token); an error (failure or unknown outcome) is settled by a serial read of who holds it. */
    private static boolean settle(MemDb db, String expected, String newValue) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            try {
                return db.cas("locked", expected, newValue);
            } catch (MemDbException unknownOrUnavailable) {
                Thread.sleep(20);
                try {
                    String holder = db.serialGet("locked");
                    if (newValue.equals(holder)) return true; // it was applied
                    if (!expected.equals(holder)) return false; // not applied, and it no longer holds
                } catch (MemDbException notNow) {
                    // try the CAS again
                }
            }
        }
        throw new AssertionError("CAS on 'locked' kept failing");
    }

    /** Only the holder changes the lock, so after an error any value but our token means the release happened. */
    private static void release(MemDb db, String token) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            try {
                assertTrue(db.cas("locked", token, "false"), "the holder releases the lock");
                return;
            } catch (MemDbException unknownOrUnavailable) {
                Thread.sleep(20);
                try {
                    if (!token.equals(db.serialGet("locked"))) return;
                } catch (MemDbException notNow) {
                    // try the CAS again
                }
            }
        }
        throw new AssertionError("could not release the lock");
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T retry(Step<T> step) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return step.run();
            } catch (MemDbException e) {
                if (attempt == 200) throw e;
                Thread.sleep(20);
            }
        }
    }

    private static void runClients(int clients, java.util.concurrent.Callable<Void> client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) futures.add(pool.submit(client));
            for (Future<Void> f : futures) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private void cliCasAndSerialGet(MemdbProcesses processes, String seeds) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(MemdbProcesses.environment(root));
        env.put("MEMDB_AUTH_KEY", KEY);
        env.put("MEMDB_SEEDS", seeds);
        MemdbProcesses.Result absent = processes.run(env, new byte[0], "cas", "cli-key", "--absent", "one");
        assertEquals(0, absent.exitCode(), absent.stderr());
        assertEquals("true\n", absent.stdout());
        MemdbProcesses.Result mismatch = processes.run(env, new byte[0], "cas", "cli-key", "two", "three");
        assertEquals(1, mismatch.exitCode(), "CAS mismatch exits 1 (DESIGN §8)");
        assertEquals("false\n", mismatch.stdout());
        MemdbProcesses.Result swap = processes.run(env, new byte[0], "cas", "cli-key", "one", "two", "--json");
        assertEquals(0, swap.exitCode(), swap.stderr());
        assertEquals("{\"key\":\"cli-key\",\"swapped\":true}\n", swap.stdout());
        MemdbProcesses.Result serial = processes.run(env, new byte[0], "get", "cli-key", "--serial");
        assertEquals(0, serial.exitCode(), serial.stderr());
        assertEquals("two\n", serial.stdout());
        MemdbProcesses.Result usage = processes.run(env, new byte[0], "cas", "cli-key", "--absent", "a", "b");
        assertEquals(2, usage.exitCode(), usage.stderr());
    }

    private static MemDb connect(String seeds) {
        return MemDbConnections.builder().authKey(KEY).seeds(List.of(seeds.split(","))).requestTimeout(Duration.ofSeconds(10)).build();
    }

    private String startCluster(MemdbProcesses processes, List<MemdbProcesses.Server> nodes) throws Exception {
        int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
        String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        for (int i = 0; i < 3; i++) {
            Path home = processes.newHome("node" + (i + 1));
            nodes.add(processes.startServer(home, ports[i], FAST_GOSSIP, "--node-id", Integer.toString(i + 1),
                    "--auth-key", KEY, "--data-dir", home.resolve("db").toString(), "--seeds", seeds));
        }
        try (MemDb db = connect(seeds)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) { // every node knows the other two once a serial read through it succeeds
                try {
                    db.serialGet("warm-up");
                    break;
                } catch (MemDbException notYet) {
                    if (System.nanoTime() > deadline) throw notYet;
                    Thread.sleep(100);
                }
            }
        }
        Thread.sleep(1_000); // gossip spreads the full membership to every node
        return seeds;
    }
}
