package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import memdb.protocol.Consistency;
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
        Simulation sim = Simulation.shaped(2, SimConfig.calm(3, 1), OPTIONS);
        assertTrue(sim.startCluster());
        for (int round = 0; round < 20; round++) {
            History.Operation write = sim.call(1 + round % 3, History.Kind.SET, "k0", Consistency.QUORUM);
            assertTrue(write.response instanceof Responses.Written, write::toString);
            assertTrue(sim.restartAll());
            History.Operation read = sim.call(1 + (round + 1) % 3, History.Kind.GET, "k0", Consistency.QUORUM);
            assertTrue(read.response instanceof Responses.Value value && value.isPresent()
                    && write.value.equals(Describe.text(value.value())), () -> read + " after " + write);
        }
        assertEquals(java.util.List.of(), sim.violations());
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
}
