package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import memdb.handoff.HandoffMetrics;
import memdb.protocol.Consistency;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

/**
 * Catch-up of a returning replica by hinted handoff (issue 5, item 3), on the simulated cluster: a node
 * that was down (crashed) or cut off (isolated) while writes went on receives, once it is back, exactly
 * the versions it missed, and ends up holding every one of them without any read (so without read
 * repair) and without anti-entropy. The replicas are compared directly in the nodes' stores.
 */
class CatchUpScenarioTest {
    private static final Simulation.Options OPTIONS = Simulation.Options.DEFAULTS;
    private static final int NODES = 5;
    private static final int KEYS = 120;
    private static final int ABSENT_NODE = 3;

    /** The nodes through which the writes go while {@code ABSENT_NODE} is away. */
    private static int coordinator(int i) {
        int node = 1 + i % (NODES - 1);
        return node >= ABSENT_NODE ? node + 1 : node;
    }

    private static Simulation withData(long seed, Simulation.Options options) {
        Simulation sim = Simulation.shaped(seed, SimConfig.calm(NODES, KEYS), options);
        assertTrue(sim.startCluster());
        for (int i = 0; i < KEYS / 2; i++) {
            History.Operation write = sim.call(1 + i % NODES, History.Kind.SET, Workload.key(i), Consistency.ALL);
            assertTrue(write.response instanceof Responses.Written, write::toString);
        }
        return sim;
    }

    /**
     * Writes while the node is away: new keys, overwrites and deletes, each key once. Returns how many of
     * them the absent node is a replica of: what it missed.
     */
    private static int writeWhileAway(Simulation sim) {
        int missed = 0;
        for (int i = 0; i < KEYS; i += 2) { // every other key: half the data set is left alone
            History.Kind kind = i % 10 == 0 ? History.Kind.DELETE : History.Kind.SET;
            History.Operation write = sim.call(coordinator(i), kind, Workload.key(i), Consistency.QUORUM);
            assertTrue(write.response instanceof Responses.Written, write::toString);
            if (sim.preferenceList(Workload.key(i)).contains(ABSENT_NODE)) missed++;
        }
        return missed;
    }

    private static long received(Simulation sim, int node) {
        return sim.node(node).core().handoffMetrics().catchupRecordsReceived();
    }

    private static long sum(Simulation sim, java.util.function.ToLongFunction<HandoffMetrics> metric) {
        long sum = 0;
        for (int node = 1; node <= NODES; node++) {
            if (sim.node(node).isUp()) sum += metric.applyAsLong(sim.node(node).core().handoffMetrics());
        }
        return sum;
    }

    @Test
    void aCrashedReplicaReceivesExactlyTheWritesItMissed() {
        Simulation sim = withData(11, OPTIONS);
        sim.node(ABSENT_NODE).crash();
        int missed = writeWhileAway(sim);
        assertTrue(missed > 0, "the absent node must have missed something");
        sim.node(ABSENT_NODE).start();
        assertTrue(sim.awaitMembership());
        assertTrue(sim.awaitHintsDrained());

        assertEquals(List.of(), sim.replicasConverged(), sim::traceTail);
        assertEquals(missed, received(sim, ABSENT_NODE), "records received in catch-up = writes missed");
        assertTrue(missed < KEYS / 2, "not the whole data set: " + missed);
        assertEquals(missed, sum(sim, HandoffMetrics::hintsReplayed));
        assertEquals(0, sum(sim, HandoffMetrics::hintsDropped));
        assertEquals(List.of(), sim.violations());
    }

    @Test
    void aReplicaCutOffByAPartitionCatchesUpWhenTheLinksHeal() {
        Simulation sim = withData(12, OPTIONS);
        sim.isolate(ABSENT_NODE);
        int missed = writeWhileAway(sim);
        sim.runFor(2 * SimConfig.REQUEST_TIMEOUT_MS); // every unanswered write to it is past its deadline: hinted
        assertFalse(sim.replicasConverged().isEmpty(), "the isolated node must have missed something");
        sim.healNetwork();
        assertTrue(sim.awaitMembership());
        assertTrue(sim.awaitHintsDrained());

        assertEquals(List.of(), sim.replicasConverged(), sim::traceTail);
        assertEquals(missed, received(sim, ABSENT_NODE), "records received in catch-up = writes missed");
        assertEquals(List.of(), sim.violations());
    }

    /**
     * The same on a lossy network (5 % of messages dropped, 3 % duplicated, delays up to 20 ms and now and
     * then 300 ms; five seeds): replica writes, hint batches and their acknowledgements get lost and are retried. Still
     * no read, so no read repair: hinted handoff alone makes the replicas converge.
     */
    @Test
    void aPartitionedReplicaCatchesUpOnALossyNetwork() {
        for (long seed = 20; seed < 25; seed++) {
            SimConfig lossy = new SimConfig(NODES, false, 0.05, 0.03, 0.5, 1, 20, 0.01, 300, 20,
                    0, 0, 0, 0, 0, false, 0, KEYS, 0);
            Simulation sim = Simulation.shaped(seed, lossy, OPTIONS);
            assertTrue(sim.startCluster());
            for (int i = 0; i < KEYS / 2; i++) sim.call(1 + i % NODES, History.Kind.SET, Workload.key(i), Consistency.QUORUM);
            sim.isolate(ABSENT_NODE);
            for (int i = 0; i < KEYS; i += 2) {
                History.Kind kind = i % 10 == 0 ? History.Kind.DELETE : History.Kind.SET;
                sim.call(coordinator(i), kind, Workload.key(i), Consistency.QUORUM); // any outcome: a TIMEOUT may have been applied
            }
            sim.runFor(2 * SimConfig.REQUEST_TIMEOUT_MS + 300); // every write past its deadline, so hinted if missed
            sim.healNetwork();
            long seedForMessage = seed;
            assertTrue(sim.awaitMembership(), () -> "seed " + seedForMessage);
            assertTrue(sim.awaitHintsDrained(), () -> "seed " + seedForMessage);

            assertEquals(List.of(), sim.replicasConverged(), () -> "seed " + seedForMessage + "\n" + sim.traceTail());
            assertTrue(received(sim, ABSENT_NODE) > 0, "seed " + seed);
            assertEquals(List.of(), sim.violations(), "seed " + seed);
        }
    }

    /** Hints are op-log records: a coordinator that restarts while its peer is away still owes it the writes. */
    @Test
    void hintsSurviveTheirCoordinatorsRestart() {
        Simulation sim = withData(13, OPTIONS);
        sim.isolate(ABSENT_NODE);
        int missed = writeWhileAway(sim);
        sim.runFor(2 * SimConfig.REQUEST_TIMEOUT_MS);
        for (int node = 1; node <= NODES; node++) {
            if (node == ABSENT_NODE) continue;
            sim.node(node).crash();
            sim.node(node).start();
        }
        sim.healNetwork();
        assertTrue(sim.awaitMembership());
        assertTrue(sim.awaitHintsDrained());

        assertEquals(List.of(), sim.replicasConverged(), sim::traceTail);
        assertEquals(missed, received(sim, ABSENT_NODE));
        assertEquals(List.of(), sim.violations());
    }

    /** The canary: without hints, the same run leaves the returning node without the writes it missed. */
    @Test
    void withoutHintedHandoffTheReturningNodeStaysBehind() {
        Simulation sim = withData(11, OPTIONS.withoutHintedHandoff());
        sim.node(ABSENT_NODE).crash();
        writeWhileAway(sim);
        sim.node(ABSENT_NODE).start();
        assertTrue(sim.awaitMembership());
        sim.runFor(5_000);

        assertFalse(sim.replicasConverged().isEmpty(), "without catch-up the node cannot have the writes it missed");
        assertEquals(0, received(sim, ABSENT_NODE));
    }
}
