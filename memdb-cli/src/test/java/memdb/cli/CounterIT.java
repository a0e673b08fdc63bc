package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.PeerClient;
import memdb.protocol.MemDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counters end to end on three real nodes (issue 6): clients increment one counter from several threads
 * while a node is killed; afterwards the quorum value is the sum of the acknowledged increments plus at
 * most the ones whose outcome is unknown. Then the CLI: incr, decr, get (--quorum, --json), and WRONG_TYPE.
 */
class CounterIT {
    private static final String KEY = ClusterIT.KEY;
    private static final int THREADS = 4;
    private static final int INCREMENTS_PER_THREAD = 150;

    @TempDir
    Path root;

    @Test
    void concurrentIncrementsAreCountedThroughANodeKill() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root);
             PeerClient probe = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(ClusterIT.startNode(processes, i + 1, ports[i], seeds));
            ClusterIT.awaitTrue(() -> ClusterIT.everyNodeSees(probe, nodes, 3), "the three nodes learn each other");

            AtomicLong acknowledged = new AtomicLong();
            AtomicInteger unknown = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try (MemDb db = MemDbConnections.builder().authKey(KEY).seeds(List.of(seeds.split(",")))
                    .requestTimeout(Duration.ofSeconds(5)).build()) {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    workers.add(threads.submit(() -> {
                        for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                            try {
                                db.increment("visits");
                                acknowledged.incrementAndGet();
                            } catch (MemDbException e) {
                                unknown.incrementAndGet();
                            }
                            done.incrementAndGet();
                        }
                    }));
                }
                ClusterIT.awaitTrue(() -> done.get() >= THREADS * INCREMENTS_PER_THREAD / 3, "a third of the increments");
                nodes.get(2).process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                for (Future<?> worker : workers) worker.get(120, TimeUnit.SECONDS);
                ClusterIT.awaitTrue(() -> ClusterIT.everyNodeSees(probe, nodes.subList(0, 2), 2), "node 3 is held down");

                long value = db.getQuorumCounter("visits").awaitQuorum(10, TimeUnit.SECONDS).orElseThrow()
                        .mostUptoDateResponseAsLong();
                assertTrue(value >= acknowledged.get() && value <= acknowledged.get() + unknown.get(),
                        "value " + value + ", acknowledged " + acknowledged + ", unknown " + unknown);
                assertTrue(acknowledged.get() > THREADS * INCREMENTS_PER_THREAD / 2, "most increments succeed: " + acknowledged);
            } finally {
                threads.shutdownNow();
            }
            cli(processes, nodes.get(0).address());
        }
    }

    /** The CLI's counter commands against the two live nodes. */
    private void cli(MemdbProcesses processes, String seed) throws Exception {
        Map<String, String> env = new HashMap<>(MemdbProcesses.environment(root));
        env.put("MEMDB_AUTH_KEY", KEY);
        env.put("MEMDB_SEEDS", seed);
        assertOutput(processes.run(env, new byte[0], "counter", "incr", "cli-hits"), 0, "1\n");
        assertOutput(processes.run(env, new byte[0], "counter", "incr", "cli-hits", "41"), 0, "42\n");
        assertOutput(processes.run(env, new byte[0], "counter", "decr", "cli-hits", "2"), 0, "40\n");
        assertOutput(processes.run(env, new byte[0], "counter", "incr", "cli-hits", "-10"), 0, "30\n");
        assertOutput(processes.run(env, new byte[0], "counter", "get", "cli-hits", "--quorum", "2"), 0, "30\n");
        assertOutput(processes.run(env, new byte[0], "counter", "get", "cli-hits", "--json"), 0,
                "{\"key\":\"cli-hits\",\"value\":30}\n");
        assertOutput(processes.run(env, new byte[0], "counter", "get", "nothing-here"), 0, "0\n");
        assertOutput(processes.run(env, new byte[0], "set", "plain", "v"), 0, "OK\n");
        MemdbProcesses.Result wrongType = processes.run(env, new byte[0], "counter", "incr", "plain");
        assertEquals(ExitCode.USAGE, wrongType.exitCode(), wrongType.stderr());
        assertTrue(wrongType.stderr().contains("holds a value"), wrongType.stderr());
        MemdbProcesses.Result getCounter = processes.run(env, new byte[0], "get", "cli-hits");
        assertEquals(ExitCode.USAGE, getCounter.exitCode(), getCounter.stderr());
        assertTrue(getCounter.stderr().contains("holds a counter"), getCounter.stderr());
    }

    private static void assertOutput(MemdbProcesses.Result result, int exitCode, String stdout) {
        assertEquals(exitCode, result.exitCode(), result.stderr());
        assertEquals(stdout, result.stdout());
    }
}
