package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Responses;
import memdb.repair.RepairReport;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy and tombstone safety on the simulated cluster (issue 5 items 4 and 6), scripted on a calm
 * network: a node that lost its disk is brought back by repair rounds alone (no read touches the keys
 * before the replicas are compared), and a delete missed by a down replica does not come back when
 * the others compact their logs with a short tombstone grace.
 */
class AntiEntropyScenarioTest {
    private static final Simulation.Options OPTIONS = Simulation.Options.DEFAULTS;
    private static final int KEYS = 40;

    @Test
    void aNodeThatLostItsDiskConvergesByAntiEntropyAlone() {
        Simulation sim = Simulation.shaped(11, SimConfig.calm(4, KEYS), OPTIONS);
        assertTrue(sim.startCluster());
        for (int i = 0; i < KEYS; i++) {
            sim.call(1 + i % 4, History.Kind.SET, Workload.key(i), Consistency.ALL);
            if (i % 5 == 0) sim.call(1 + i % 4, History.Kind.DELETE, Workload.key(i), Consistency.ALL);
        }
        sim.node(3).wipe();
        sim.node(3).start();
        assertTrue(sim.restartAll()); // membership back, every store from its log; n3's is empty
        assertEquals(0, sim.node(3).core().store().entries());
        assertTrue(!sim.replicasConverged().isEmpty(), "the wipe must leave n3 behind");

        RepairReport report = sim.repair(3);
        assertNotNull(report);
        assertTrue(report.complete(), report::toString);
        long owned = 0;
        for (int i = 0; i < KEYS; i++) if (sim.preferenceList(Workload.key(i)).contains(3)) owned++;
        assertEquals(owned, report.entriesReceived(), report::toString);
        assertEquals(List.of(), sim.replicasConverged());
        for (int i = 0; i < KEYS; i++) {
            Key key = Key.of(Workload.key(i));
            if (!sim.preferenceList(Workload.key(i)).contains(3)) continue;
            Versioned held = sim.node(3).core().store().get(key);
            assertEquals(i % 5 == 0, held.isTombstone(), key + " on n3: " + held);
        }
        assertEquals(0, sim.repair(1).keysDiffering(), "a second round finds nothing");
        assertEquals(List.of(), sim.violations());
    }

    /**
     * Counters are in anti-entropy: a replica down while a counter is incremented at QUORUM (counters have
     * no hinted handoff) and one that lost its disk both end up with the same counter state as the others
     * through repair rounds alone, with no read of the counter; a second round finds nothing.
     */
    @Test
    void aCounterReplicaThatMissedIncrementsConvergesByAntiEntropyAlone() {
        Simulation sim = Simulation.shaped(13, SimConfig.calm(4, 4), OPTIONS);
        assertTrue(sim.startCluster());
        String counter = Workload.counterKey(0);
        List<Integer> replicas = sim.preferenceList(counter);
        int missing = replicas.get(2);
        long id = 1;
        for (int i = 0; i < 5; i++) {
            id = CounterScenarioTest.ledBy(replicas, replicas.get(i % 2), id + 1);
            sim.increment(replicas.get(0), counter, id, 1 + i, Consistency.ALL);
        }
        sim.node(missing).crash();
        sim.runFor(2 * SimConfig.DOWN_AFTER_MS);
        for (int i = 0; i < 6; i++) {
            id = CounterScenarioTest.ledBy(replicas, replicas.get(i % 2), id + 1);
            History.Operation add = sim.increment(replicas.get(1), counter, id, 10, Consistency.QUORUM);
            assertTrue(add.succeeded(), add::toString);
        }
        sim.node(missing).start();
        sim.node(replicas.get(0)).wipe();
        sim.node(replicas.get(0)).start();
        assertTrue(sim.restartAll());
        Key key = Key.of(counter);
        assertTrue(sim.node(replicas.get(0)).core().counterStore().get(key) == null, "the wipe emptied it");
        assertEquals(75, sim.node(replicas.get(1)).core().counterStore().get(key).value());
        assertEquals(15, sim.node(missing).core().counterStore().get(key).value(), "it missed the increments while down");

        RepairReport report = sim.repair(replicas.get(1));
        assertTrue(report.complete(), report::toString);
        for (int node : replicas) {
            assertEquals(sim.node(replicas.get(1)).core().counterStore().get(key), sim.node(node).core().counterStore().get(key),
                    "n" + node + " after one round");
        }
        assertEquals(75, sim.node(missing).core().counterStore().get(key).value());
        assertEquals(0, sim.repair(missing).keysDiffering(), "a second round finds nothing");
        assertTrue(sim.restartAll());
        assertEquals(75, sim.node(replicas.get(0)).core().counterStore().get(key).value(), "the repair was logged");
        assertEquals(List.of(), sim.violations());
    }

    /**
     * n3 misses a delete while down; n1 and n2 compact after the grace. Safe rule: no complete repair
     * since the delete (n3 was down), so they keep the tombstone; repair carries it to n3; the key stays
     * deleted. {@code safe} false purges on grace alone: the key comes back (what the rule prevents).
     */
    private static Responses.Value deleteMissedByADownReplica(boolean safe) {
        Simulation sim = Simulation.shaped(12, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        String key = Workload.key(0);
        sim.call(1, History.Kind.SET, key, Consistency.ALL);
        sim.node(3).crash();
        sim.runFor(2 * SimConfig.DOWN_AFTER_MS);
        History.Operation delete = sim.call(1, History.Kind.DELETE, key, Consistency.QUORUM);
        assertTrue(delete.response instanceof Responses.Written, delete::toString);
        RepairReport whileDown = sim.repair(1);
        assertTrue(!whileDown.complete(), "a round with a replica down is not complete: " + whileDown);
        long graceMs = 1_000;
        sim.runFor(graceMs + 1);
        sim.node(1).compact(graceMs, safe);
        sim.node(2).compact(graceMs, safe);
        sim.node(3).start();
        assertTrue(sim.restartAll()); // n1 and n2 restart from their compacted logs
        RepairReport first = sim.repair(3);
        RepairReport second = sim.repair(1);
        assertTrue(first.complete() && second.complete(), first + "\n" + second);
        assertEquals(List.of(), sim.replicasConverged());
        History.Operation read = sim.call(2, History.Kind.GET, key, Consistency.ALL);
        return (Responses.Value) read.response;
    }

    @Test
    void aDeleteMissedByADownReplicaStaysDeletedAfterCompaction() {
        assertTrue(!deleteMissedByADownReplica(true).isPresent(), "the deleted key came back");
    }

    @Test
    void purgingOnGraceAloneWouldBringTheKeyBack() {
        assertTrue(deleteMissedByADownReplica(false).isPresent(), "canary: purging on grace alone must resurrect the key");
    }

    /** Once a complete round has carried a tombstone everywhere, compaction after the grace forgets it. */
    @Test
    void aRepairedTombstoneIsPurgedAfterTheGrace() {
        Simulation sim = Simulation.shaped(13, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        String key = Workload.key(0);
        sim.call(1, History.Kind.SET, key, Consistency.ALL);
        sim.call(1, History.Kind.DELETE, key, Consistency.ALL);
        sim.runFor(10);
        for (int id = 1; id <= 3; id++) assertTrue(sim.repair(id).complete());
        long graceMs = 1_000;
        sim.runFor(graceMs + 1);
        for (int id = 1; id <= 3; id++) sim.node(id).compact(graceMs, true);
        assertTrue(sim.restartAll());
        for (int id = 1; id <= 3; id++) assertEquals(null, sim.node(id).core().store().get(Key.of(key)), "n" + id);
        History.Operation read = sim.call(2, History.Kind.GET, key, Consistency.ALL);
        assertTrue(!((Responses.Value) read.response).isPresent());
    }
}
