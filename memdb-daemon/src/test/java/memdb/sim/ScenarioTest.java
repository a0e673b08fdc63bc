package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import memdb.protocol.Consistency;
import memdb.protocol.Member;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

/**
 * Scripted scenarios on the simulated cluster: a fixed sequence of requests and faults on a calm
 * network, each step spelled out, for behaviour that random runs reach too rarely to be a regression
 * test. Same harness and checkers as {@link SimulationTest}.
 */
class ScenarioTest {
    private static final Simulation.Options OPTIONS = Simulation.Options.DEFAULTS;
    /** As the node is today: its clock restarts at the highest timestamp in its own log. */
    private static final Simulation.Options CLOCK_FROM_LOG = new Simulation.Options(true, false, false);

    @Test
    void aQuorumWriteIsReadBackThroughEveryNode() {
        Simulation sim = Simulation.shaped(1, SimConfig.calm(4, 1), OPTIONS);
        assertTrue(sim.startCluster());
        History.Operation write = sim.call(1, History.Kind.SET, "k0", Consistency.QUORUM);
        assertTrue(write.response instanceof Responses.Written, write::toString);
        for (int node = 1; node <= 4; node++) {
            History.Operation read = sim.call(node, History.Kind.GET, "k0", Consistency.QUORUM);
            assertEquals(write.value, Describe.text(((Responses.Value) read.response).value()), read::toString);
        }
        assertEquals(java.util.List.of(), sim.violations());
    }

    /**
     * The ordering rule end to end: a write is acknowledged only once W replicas hold it durably, so a
     * power cut right after the client has its acknowledgement loses nothing.
     */
    @Test
    void aPowerCutRightAfterAnAcknowledgementLosesNothing() {
        assertEquals(java.util.List.of(), powerCutAfterEachAcknowledgement(OPTIONS));
    }

    /**
     * Twenty rounds of a QUORUM write, a power cut the moment it is acknowledged (fsync takes up to 20 ms),
     * and a QUORUM read through the next node: the checkers' violations, plus every read that did not
     * return the acknowledged value (CanaryTest runs it with ack-before-fsync planted).
     */
    static List<String> powerCutAfterEachAcknowledgement(Simulation.Options options) {
        Simulation sim = Simulation.shaped(2, SimConfig.calm(3, 1), options);
        assertTrue(sim.startCluster());
        List<String> found = new java.util.ArrayList<>();
        for (int round = 0; round < 20; round++) {
            History.Operation write = sim.call(1 + round % 3, History.Kind.SET, "k0", Consistency.QUORUM);
            assertTrue(write.response instanceof Responses.Written, write::toString);
            assertTrue(sim.restartAll());
            History.Operation read = sim.call(1 + (round + 1) % 3, History.Kind.GET, "k0", Consistency.QUORUM);
            if (!(read.response instanceof Responses.Value value && value.isPresent()
                    && write.value.equals(Describe.text(value.value())))) found.add("lost: " + read + " after " + write);
        }
        found.addAll(sim.violations());
        return found;
    }

    /**
     * Core bug: a restarted node reissues Lamport timestamps it issued before the crash. A coordinator
     * that is not a replica of the key logs nothing for its write, so after a restart its clock starts
     * below the timestamp it gave that write (the clock restarts at the highest timestamp in its own
     * log); the next write it coordinates gets the same timestamp; replicas take it for a duplicate of
     * the first ("equal timestamp: the same write delivered twice") and keep the old value, yet the
     * write is acknowledged, not even flagged superseded. Two writes, one timestamp (DESIGN §3 says
     * never). Random runs find it too: seed 658 with {@code -Dmemdb.sim.durableClock=false} (n3 gave
     * 6@3 to SET k0=c2-3 and, after a restart, gave 6@3 again to a DELETE of k0 that it acknowledged at
     * QUORUM). Enable once the clock
     * survives restarts (e.g. a durable high-water mark).
     */
    @Test
    void aRestartedCoordinatorNeverReusesATimestamp() {
        Simulation sim = Simulation.shaped(1, SimConfig.calm(4, 1), CLOCK_FROM_LOG);
        assertTrue(sim.startCluster());
        int outsider = 1;
        while (sim.preferenceList("k0").contains(outsider)) outsider++;
        History.Operation first = sim.call(outsider, History.Kind.SET, "k0", Consistency.QUORUM);
        sim.node(outsider).crash();
        sim.node(outsider).start();
        History.Operation second = sim.call(outsider, History.Kind.SET, "k0", Consistency.QUORUM);
        History.Operation read = sim.call(sim.preferenceList("k0").get(0), History.Kind.GET, "k0", Consistency.QUORUM);
        assertEquals(java.util.List.of(), sim.violations(), () -> first + "\n" + second + "\n" + read
                + "\n" + sim.traceTail());
    }

    /**
     * Issue 5 items 1, 2 and 5 in one story. n2 is down while n5 joins (streaming its ranges from their
     * replicas that are up); when it returns, its durable cluster log gives it the ring it knew and gossip
     * the join it missed. Then n3 and n4 leave (streaming their ranges to their new owners); then n1 is down
     * while n5 leaves, and learns it on return. Every key reads back at QUORUM, deleted keys stay deleted,
     * and each key is held by exactly its replicas once the former ones dropped theirs.
     */
    @Test
    void nodesDownDuringJoinsAndLeavesLearnThemOnReturnAndNoWriteIsLost() {
        Simulation sim = Simulation.shapedWithSpare(4, SimConfig.calm(4, 40), OPTIONS);
        assertTrue(sim.startCluster());
        java.util.Map<String, String> written = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            History.Operation write = sim.call(1 + i % 4, i % 7 == 3 ? History.Kind.DELETE : History.Kind.SET,
                    Workload.key(i), Consistency.QUORUM);
            assertTrue(write.response instanceof Responses.Written, write::toString);
            written.put(write.key, write.kind == History.Kind.DELETE ? null : write.value);
        }
        sim.node(2).crash();
        sim.join();
        assertTrue(sim.awaitScenario(() -> status(sim, 5, 5) == Member.Status.NORMAL, "n5 did not finish joining"),
                sim::traceTail);
        sim.node(2).start();
        assertTrue(sim.awaitScenario(() -> status(sim, 2, 5) == Member.Status.NORMAL, "n2 did not learn the join"),
                sim::traceTail);
        sim.leave(3);
        assertTrue(sim.awaitScenario(() -> sim.node(3).hasLeft(), "n3 did not leave"), sim::traceTail);
        sim.leave(4);
        assertTrue(sim.awaitScenario(() -> sim.node(4).hasLeft(), "n4 did not leave"), sim::traceTail);
        // Three nodes left, N = 3: every node holds everything, so n5's leave streams nothing and goes on
        // while n1 is down (a leave that must hand a range to a down node waits for it).
        sim.node(1).crash();
        sim.leave(5);
        assertTrue(sim.awaitScenario(() -> sim.node(5).hasLeft(), "n5 did not leave"), sim::traceTail);
        sim.node(1).start();
        assertEquals(List.of(), sim.settleAndCheckOwnership());
        for (int node : new int[] {1, 2}) {
            for (int gone : new int[] {3, 4, 5}) assertEquals(Member.Status.LEFT, status(sim, node, gone));
            for (var entry : written.entrySet()) {
                History.Operation read = sim.call(node, History.Kind.GET, entry.getKey(), Consistency.QUORUM);
                Responses.Value value = (Responses.Value) read.response;
                if (entry.getValue() == null) assertTrue(!value.isPresent(), read::toString);
                else assertEquals(entry.getValue(), Describe.text(value.value()), read::toString);
            }
        }
        assertEquals(List.of(), sim.violations());
    }

    private static Member.Status status(Simulation sim, int observer, int node) {
        SimNode n = sim.node(observer);
        if (!n.isUp() || n.core().membership().member(node) == null) return null;
        return n.core().membership().member(node).status();
    }
}
