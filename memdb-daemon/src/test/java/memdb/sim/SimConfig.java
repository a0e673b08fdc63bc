package memdb.sim;

import java.util.Random;

/**
 * The shape of one simulated run, drawn from its seed: cluster size, how hostile the network is, how
 * often nodes crash and links are cut, how slow fsync is, and the client workload. Drawing the shape
 * from the seed (instead of fixing it) lets 500 seeds cover calm and stormy runs alike.
 *
 * <p>{@code singleSeed}: every node is started with node 1 alone as its seed (membership must spread
 * by gossip), else with every node's address. {@code clientsCarryLamport}: clients send the highest
 * Lamport time they have heard (as the Java client), else 0 (as a one-shot CLI call). All times are
 * simulated milliseconds; units last in the names (STYLE, TigerBeetle).
 */
record SimConfig(int nodes, boolean singleSeed, double dropProbability, double duplicateProbability,
                 double peerFailureProbability, long delayMsMin, long delayMsMax, double longDelayProbability,
                 long longDelayMsMax, long fsyncMsMax,
                 long crashIntervalMs, long downtimeMsMax, long partitionIntervalMs, long partitionMsMax,
                 int clients, boolean clientsCarryLamport, int operationsPerClient, int keys, long thinkMsMax) {
    static final int REPLICATION_FACTOR = 3;
    static final long TICK_MS = 10;
    static final long GOSSIP_INTERVAL_MS = 50;
    static final long DOWN_AFTER_MS = 400;
    static final long REQUEST_TIMEOUT_MS = 500;
    static final int VNODES_PER_NODE = 16;
    /** Small, so that a catch-up takes several HINTS batches. */
    static final int HINTS_PER_BATCH = 16;

    /** A run's shape from its seed; the same random source then drives the run itself. */
    static SimConfig draw(Random random) {
        boolean calm = random.nextInt(8) == 0; // some runs without faults catch bugs that need no excuse
        return new SimConfig(
                3 + random.nextInt(3), random.nextBoolean(),
                calm ? 0 : random.nextDouble() * 0.15,
                calm ? 0 : random.nextDouble() * 0.05,
                random.nextDouble(),
                1, 2 + random.nextInt(20),
                calm ? 0 : random.nextDouble() * 0.05, 600,
                random.nextBoolean() ? 0 : 1 + random.nextInt(20),
                calm ? 0 : 300 + random.nextInt(3_000), 100 + random.nextInt(2_000),
                calm ? 0 : 300 + random.nextInt(3_000), 50 + random.nextInt(1_500),
                2 + random.nextInt(4), random.nextBoolean(), 20 + random.nextInt(40), 1 + random.nextInt(8),
                random.nextInt(50));
    }

    /**
     * A fault-free run of {@code nodes} nodes and {@code keys} keys without workload clients, for
     * scenarios; fsync takes up to 20 ms, so that a crash can catch records that are not durable yet.
     */
    static SimConfig calm(int nodes, int keys) {
        return new SimConfig(nodes, false, 0, 0, 1, 1, 5, 0, 0, 20, 0, 0, 0, 0, 0, false, 0, keys, 0);
    }

    /** A fault-free network for healing and final checks: reliable, short delays. */
    SimConfig healed() {
        return new SimConfig(nodes, singleSeed, 0, 0, peerFailureProbability, 1, 5, 0, 0, fsyncMsMax, 0, 0, 0, 0,
                clients, clientsCarryLamport, operationsPerClient, keys, thinkMsMax);
    }
}
