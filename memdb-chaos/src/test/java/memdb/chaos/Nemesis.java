package memdb.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects {@link Fault}s into a {@link ChaosCluster} over and over until told to stop: pick one of its
 * faults, strike, hold a few seconds, undo, rest a moment. Every choice (fault, node, side, duration) comes
 * from its seeded random.
 * Counts what it did: strikes, kill -9 cycles (one node killed and back), boots that needed --force-recover.
 */
final class Nemesis {
    private final ChaosCluster cluster;
    private final List<Fault> faults;
    private final Random random;
    private final AtomicInteger clientEpoch;
    private volatile boolean stopped;
    int strikes;
    int killCycles;
    int forcedRecoveries;

    /** {@code clientEpoch} grows when clients must start afresh (after every node restarted). */
    Nemesis(ChaosCluster cluster, List<Fault> faults, long seed, AtomicInteger clientEpoch) {
        this.cluster = cluster;
        this.faults = List.copyOf(faults);
        this.random = new Random(seed);
        this.clientEpoch = clientEpoch;
    }

    void stop() {
        stopped = true;
    }

    /** Strikes until {@link #stop()} or the deadline; leaves the cluster healed. */
    void run(long deadlineNanos) throws Exception {
        while (!stopped && System.nanoTime() < deadlineNanos) {
            strike(faults.get(random.nextInt(faults.size())));
            strikes++;
            rest(1000 + random.nextInt(1500), deadlineNanos);
        }
    }

    private void rest(long ms, long deadlineNanos) throws InterruptedException {
        long until = Math.min(System.nanoTime() + Duration.ofMillis(ms).toNanos(), deadlineNanos);
        while (!stopped && System.nanoTime() < until) Thread.sleep(50);
    }

    private ChaosCluster.Node anyNode() {
        return cluster.nodes().get(random.nextInt(cluster.nodes().size()));
    }

    private List<Integer> shuffledIds() {
        List<Integer> ids = new ArrayList<>();
        for (ChaosCluster.Node node : cluster.nodes()) ids.add(node.id);
        Collections.shuffle(ids, random);
        return ids;
    }

    private void hold() throws InterruptedException {
        Thread.sleep(2000 + random.nextInt(3000));
    }

    private void strike(Fault fault) throws Exception {
        NetworkFaults network = cluster.faults();
        switch (fault) {
            case KILL -> {
                ChaosCluster.Node node = anyNode();
                cluster.kill(node);
                Thread.sleep(random.nextInt(1500));
                restart(node, Map.of());
                killCycles++;
            }
            case KILL_ALL -> {
                Thread.sleep(random.nextInt(2000)); // the clients' writes land at a random point before the kill
                cluster.killAll();
                clientEpoch.incrementAndGet(); // before the restarts: no old client carries its clock over
                for (ChaosCluster.Node node : cluster.nodes()) restart(node, Map.of());
                killCycles += cluster.nodes().size();
                cluster.awaitAllUp(Duration.ofSeconds(30));
            }
            case PAUSE -> {
                ChaosCluster.Node node = anyNode();
                cluster.pause(node);
                hold();
                cluster.resume(node);
            }
            case PARTITION_HALVES -> {
                List<Integer> ids = shuffledIds();
                int half = ids.size() / 2;
                network.partition(ids.subList(0, half), ids.subList(half, ids.size()), NetworkFaults.Cut.CLOSE);
                hold();
                network.heal();
            }
            case PARTITION_ONE, BLACK_HOLE -> {
                List<Integer> ids = shuffledIds();
                network.partition(ids.subList(0, 1), ids.subList(1, ids.size()),
                        fault == Fault.BLACK_HOLE ? NetworkFaults.Cut.BLACK_HOLE : NetworkFaults.Cut.CLOSE);
                hold();
                network.heal();
            }
            case PARTITION_BRIDGE -> {
                List<Integer> ids = shuffledIds(); // ids[0] is the bridge; the rest split in two
                List<Integer> rest = ids.subList(1, ids.size());
                int half = rest.size() / 2;
                network.partition(rest.subList(0, half), rest.subList(half, rest.size()), NetworkFaults.Cut.CLOSE);
                hold();
                network.heal();
            }
            case DELAY -> {
                network.delay(20 + random.nextInt(130));
                hold();
                network.heal();
            }
            case LOSS -> {
                network.loss(0.05);
                hold();
                network.heal();
            }
            case CLOCK_SKEW -> {
                ChaosCluster.Node node = anyNode();
                cluster.kill(node);
                String offset = (random.nextBoolean() ? "+" : "-") + (1 + random.nextInt(48)) + "h";
                restart(node, Map.of("LD_PRELOAD", ChaosCluster.LIBFAKETIME.toString(), "FAKETIME", offset,
                        "FAKETIME_DONT_FAKE_MONOTONIC", "1"));
                hold();
                hold();
                cluster.kill(node);
                restart(node, Map.of());
            }
            case LOG_TRUNCATE, LOG_BITFLIP -> {
                ChaosCluster.Node node = anyNode();
                cluster.kill(node);
                if (fault == Fault.LOG_TRUNCATE) cluster.truncateLogTail(node, 1 + random.nextInt(200));
                else cluster.flipLogBit(node, random.nextDouble(), random.nextInt(8));
                restart(node, Map.of());
                killCycles++;
            }
        }
    }

    private void restart(ChaosCluster.Node node, Map<String, String> env) throws Exception {
        if (cluster.restart(node, env)) forcedRecoveries++;
    }
}
