package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import memdb.counter.CounterCoordinator;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.ErrorCode;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

/**
 * Scripted counter scenarios on the simulated cluster (DESIGN §6): retries by operation id, a leader
 * that goes down before its slot spread, a node that lost its disk, delete, and WRONG_TYPE.
 */
class CounterScenarioTest {
    private static final Simulation.Options OPTIONS = Simulation.Options.DEFAULTS;

    private static long value(History.Operation op) {
        assertTrue(op.response instanceof CounterMessages.State, op::toString);
        return ((CounterMessages.State) op.response).value();
    }

    private static long quorumValue(Simulation sim, int node, String key) {
        return value(sim.call(node, History.Kind.COUNTER_GET, key, Consistency.QUORUM));
    }

    @Test
    void aRetryThroughAnyCoordinatorIsCountedOnce() {
        Simulation sim = Simulation.shaped(11, SimConfig.calm(4, 1), OPTIONS);
        assertTrue(sim.startCluster());
        assertEquals(5, value(sim.increment(1, "n0", 77, 5, Consistency.QUORUM)));
        for (int node = 1; node <= 4; node++) {
            assertEquals(5, value(sim.increment(node, "n0", 77, 5, Consistency.QUORUM)), "retry through n" + node);
        }
        assertEquals(2, value(sim.increment(2, "n0", 78, -3, Consistency.ALL)));
        for (int node = 1; node <= 4; node++) assertEquals(2, quorumValue(sim, node, "n0"));
        assertEquals(List.of(), sim.violations());
    }

    /** The leader counted the increment and its slot reached W replicas; it restarts; a retry is counted once. */
    @Test
    void aRetryAfterTheLeaderRestartedIsCountedOnce() {
        Simulation sim = Simulation.shaped(12, SimConfig.calm(4, 1), OPTIONS);
        assertTrue(sim.startCluster());
        List<Integer> replicas = sim.preferenceList("n0");
        int leader = CounterCoordinator.leaderOf(replicas, 5);
        assertEquals(3, value(sim.increment(replicas.get(0), "n0", 5, 3, Consistency.ALL)));
        assertTrue(sim.restartAll());
        History.Operation retry = sim.increment(replicas.get(1), "n0", 5, 3, Consistency.QUORUM);
        assertEquals(3, value(retry), "n" + leader + " leads it again and recognises the operation");
        assertEquals(3, quorumValue(sim, replicas.get(2), "n0"));
    }

    /**
     * The double count the operation id alone did not prevent: the leader counts an increment but its slot
     * reaches no other replica (outcome unknown), then goes down. A retry through any other node must not
     * be counted by another leader: it is refused (UNAVAILABLE, nothing counted) until that leader is back,
     * which recognises the id. Before, the first replica up led the retry and counted it a second time.
     */
    @Test
    void aRetryWhoseLeaderIsDownIsRefusedAndNeverCountedTwice() {
        Simulation sim = Simulation.shaped(17, SimConfig.calm(4, 1), OPTIONS);
        assertTrue(sim.startCluster());
        List<Integer> replicas = sim.preferenceList("n0");
        long operationId = 41;
        int leader = CounterCoordinator.leaderOf(replicas, operationId);
        sim.network().dropRequests(r -> r instanceof CounterMessages.Merge);
        History.Operation first = sim.increment(leader, "n0", operationId, 7, Consistency.QUORUM);
        assertTrue(first.response instanceof Responses.Error error && error.code().kind() == ErrorCode.Kind.TIMEOUT,
                first::toString); // TIMEOUT or UNKNOWN_OUTCOME: counted by its leader, maybe
        sim.node(leader).crash();
        sim.network().dropRequests(r -> false);
        sim.idle(SimConfig.DOWN_AFTER_MS + 2 * SimConfig.GOSSIP_INTERVAL_MS); // the others hold it down
        for (int node = 1; node <= 4; node++) {
            if (node == leader) continue;
            History.Operation retry = sim.increment(node, "n0", operationId, 7, Consistency.QUORUM);
            assertTrue(retry.response instanceof Responses.Error error && error.code() == ErrorCode.UNAVAILABLE,
                    "retry through n" + node + ": " + retry);
        }
        sim.node(leader).start();
        sim.idle(SimConfig.DOWN_AFTER_MS);
        int other = replicas.get(0) == leader ? replicas.get(1) : replicas.get(0);
        assertEquals(7, value(sim.increment(other, "n0", operationId, 7, Consistency.ALL)), "counted once");
        for (int node = 1; node <= 4; node++) assertEquals(7, quorumValue(sim, node, "n0"));
        assertEquals(List.of(), sim.violations());
    }

    /**
     * While a join changes a counter's replicas, an increment whose leader the join changes is refused
     * (counted nothing) rather than led by either leader; one whose leader stays is led as usual.
     */
    @Test
    void anIncrementWhoseLeaderAJoinChangesIsRefusedUntilTheMoveIsOver() {
        Simulation sim = Simulation.shapedWithSpare(18, SimConfig.calm(4, 40), OPTIONS);
        assertTrue(sim.startCluster());
        sim.network().dropRequests(r -> r instanceof memdb.protocol.StreamMessages.StreamPull); // the join never ends
        sim.join();
        assertTrue(sim.awaitScenario(() -> {
            for (int node = 1; node <= 4; node++) {
                if (!sim.node(node).core().membership().futureRing().nodes().contains(5)) return false;
            }
            return true;
        }, "the join did not spread"), sim::traceTail);
        String counter = null;
        long moved = -1;
        long staying = -1;
        for (int i = 0; counter == null && i < 1_000; i++) {
            memdb.protocol.Key key = memdb.protocol.Key.of(Workload.counterKey(i));
            List<Integer> now = sim.node(1).core().membership().ring().preferenceList(key, SimConfig.REPLICATION_FACTOR);
            List<Integer> future = sim.node(1).core().membership().futureRing().preferenceList(key, SimConfig.REPLICATION_FACTOR);
            moved = -1;
            staying = -1;
            for (long id = 1; id <= 64; id++) {
                boolean same = CounterCoordinator.leaderOf(now, id) == CounterCoordinator.leaderOf(future, id);
                if (same && staying < 0) staying = id;
                if (!same && moved < 0) moved = id;
            }
            if (moved > 0 && staying > 0) counter = Workload.counterKey(i);
        }
        assertTrue(counter != null, "a counter whose replicas the join changes, with a leader that moves and one that stays");
        for (int node = 1; node <= 4; node++) {
            History.Operation refused = sim.increment(node, counter, moved, 1, Consistency.QUORUM);
            assertTrue(refused.response instanceof Responses.Error error && error.code() == ErrorCode.UNAVAILABLE,
                    "through n" + node + ": " + refused);
        }
        assertEquals(2, value(sim.increment(1, counter, staying, 2, Consistency.QUORUM)));
        assertEquals(2, quorumValue(sim, 2, counter));
    }

    /** An operation id that {@code node} leads for a key with these replicas, from {@code from} on. */
    static long ledBy(List<Integer> replicas, int node, long from) {
        long id = from;
        while (CounterCoordinator.leaderOf(replicas, id) != node) id++;
        return id;
    }

    /**
     * Without a fresh slot, a node whose disk was replaced would start its slot again at 0, below the
     * copies its peers hold, and the merge would swallow its next increments.
     */
    @Test
    void aNodeThatLostItsDiskCountsInAFreshSlot() {
        Simulation sim = Simulation.shaped(13, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        List<Integer> replicas = sim.preferenceList("n0");
        int leader = replicas.get(0);
        for (long op = 1; op <= 5; op++) sim.increment(leader, "n0", ledBy(replicas, leader, op * 100), 1, Consistency.ALL);
        long slotBefore = sim.node(leader).core().counterStore().slotId();
        sim.node(leader).wipe();
        sim.node(leader).start();
        sim.idle(SimConfig.DOWN_AFTER_MS);
        assertTrue(slotBefore != sim.node(leader).core().counterStore().slotId(), "a fresh slot id");
        assertEquals(1, value(sim.increment(leader, "n0", ledBy(replicas, leader, 600), 1, Consistency.QUORUM)),
                "it knows only its new slot yet");
        assertEquals(6, value(sim.call(leader, History.Kind.COUNTER_GET, "n0", Consistency.ALL)));
        for (int node = 1; node <= 3; node++) assertEquals(6, quorumValue(sim, node, "n0"));
    }

    @Test
    void aSlotSurvivesARestartFromTheLog() {
        Simulation sim = Simulation.shaped(14, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        List<Integer> replicas = sim.preferenceList("n0");
        int leader = replicas.get(0);
        sim.increment(leader, "n0", ledBy(replicas, leader, 1), 10, Consistency.QUORUM);
        assertTrue(sim.restartAll());
        assertEquals(11, value(sim.increment(leader, "n0", ledBy(replicas, leader, 100), 1, Consistency.QUORUM)));
        assertEquals(11, quorumValue(sim, 1, "n0"));
    }

    @Test
    void deleteRemovesACounterAndAFreshOneStartsAtZero() {
        Simulation sim = Simulation.shaped(15, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        sim.increment(1, "n0", 1, 42, Consistency.ALL);
        History.Operation delete = sim.call(2, History.Kind.DELETE, "n0", Consistency.ALL);
        assertTrue(delete.response instanceof Responses.Written, delete::toString);
        assertEquals(0, quorumValue(sim, 3, "n0"));
        assertEquals(1, value(sim.increment(3, "n0", 2, 1, Consistency.QUORUM)));
        assertTrue(sim.restartAll());
        for (int node = 1; node <= 3; node++) assertEquals(1, quorumValue(sim, node, "n0"));
    }

    @Test
    void valuesAndCountersDoNotMix() {
        Simulation sim = Simulation.shaped(16, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        sim.call(1, History.Kind.SET, "k0", Consistency.ALL);
        sim.increment(1, "n0", 1, 1, Consistency.ALL);
        for (int node = 1; node <= 3; node++) {
            assertWrongType(sim.increment(node, "k0", 2, 1, Consistency.QUORUM));
            assertWrongType(sim.call(node, History.Kind.COUNTER_GET, "k0", Consistency.QUORUM));
            assertWrongType(sim.call(node, History.Kind.GET, "n0", Consistency.ONE));
            assertWrongType(sim.call(node, History.Kind.GET, "n0", Consistency.QUORUM));
            assertWrongType(sim.call(node, History.Kind.CONTAINS, "n0", Consistency.ALL));
        }
        History.Operation set = sim.call(2, History.Kind.SET, "n0", Consistency.ALL); // SET replaces any key (as Redis)
        assertTrue(set.response instanceof Responses.Written, set::toString);
        assertWrongType(sim.increment(3, "n0", 3, 1, Consistency.QUORUM));
    }

    private static void assertWrongType(History.Operation op) {
        assertTrue(op.response instanceof Responses.Error error && error.code() == ErrorCode.WRONG_TYPE, op::toString);
    }
}
