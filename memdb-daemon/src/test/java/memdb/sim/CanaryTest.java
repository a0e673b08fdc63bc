package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import memdb.node.Canaries;
import memdb.node.Canaries.Canary;
import memdb.protocol.Consistency;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

/**
 * The bug canaries (memdb.node.Canaries; docs/reliability.md, "Bug canaries") against the simulator's
 * checkers: each scenario runs once with a canary planted in every node, and the checkers must report a
 * violation, and once without, and they must report none. A harness that cannot fail proves nothing.
 * The real-process side of ack-before-fsync (kill -9) is {@code memdb.net.AckBeforeFsyncKillTest}.
 */
class CanaryTest {
    private static final Simulation.Options OPTIONS = Simulation.Options.DEFAULTS;
    private static final Simulation.Options CAS = Simulation.Options.DEFAULTS.withCasWorkload();

    private static Simulation.Options planted(Simulation.Options options, Canary canary) {
        return options.withCanaries(Canaries.of(canary));
    }

    /**
     * Runs {@code scenario} without the canary (no violation allowed) and with it (some violation must
     * contain {@code expected}).
     */
    private static void assertCaught(Function<Simulation.Options, List<String>> scenario, Simulation.Options options,
                                     Canary canary, String expected) {
        assertEquals(List.of(), scenario.apply(options), "without " + canary.label());
        List<String> caught = scenario.apply(planted(options, canary));
        assertTrue(caught.stream().anyMatch(v -> v.contains(expected)), () -> canary.label() + " not caught: " + caught);
    }

    // ---- ack-before-fsync ---------------------------------------------------------------------------

    /**
     * ScenarioTest's power cut right after each acknowledgement: with replies leaving before their records
     * are durable, some acknowledged QUORUM write is gone after the cut, and checker (a) reports the stale
     * QUORUM read that follows.
     */
    @Test
    void ackBeforeFsyncLosesAcknowledgedWritesInAPowerCut() {
        assertCaught(ScenarioTest::powerCutAfterEachAcknowledgement, OPTIONS, Canary.ACK_BEFORE_FSYNC, "(a) stale quorum read");
    }

    // ---- forget-promise ------------------------------------------------------------------------------

    /** CasSimulationTest's accepted-then-restarted acceptor: forgetting the accepted proposal loses a chosen CAS. */
    @Test
    void forgetPromiseLosesAChosenCas() {
        assertCaught(CasSimulationTest::acceptThenRestart, CAS, Canary.FORGET_PROMISE, "not linearizable");
    }

    // ---- no-clock-restore ----------------------------------------------------------------------------

    /**
     * n1 (a replica of k0) is cut off and coordinates writes that only its own replica takes (they fail:
     * outcome unknown), then restarts. Hinted handoff is off, so its peers never see those timestamps.
     * With its clock restored n1 issues timestamps above them; with the clock at 0 it catches up only to
     * its peers' clocks and gives the next writes the same timestamps as the failed ones: reads then see
     * one timestamp name two writes (checker (c)), and replicas may keep different values under one
     * timestamp, which no read repair can tell apart (checker (b)).
     */
    private static List<String> writesAfterAnIsolatedRestart(Simulation.Options options) {
        Simulation sim = Simulation.shaped(5, SimConfig.calm(3, 1), options.withoutHintedHandoff());
        assertTrue(sim.startCluster());
        sim.call(2, History.Kind.SET, "k0", Consistency.ALL);
        sim.isolate(1);
        for (int i = 0; i < 3; i++) {
            History.Operation cut = sim.call(1, History.Kind.SET, "k0", Consistency.QUORUM);
            assertFalse(cut.succeeded(), cut::toString);
        }
        sim.node(1).crash();
        sim.healNetwork();
        sim.node(1).start();
        assertTrue(sim.awaitMembership());
        for (int i = 0; i < 3; i++) {
            History.Operation write = sim.call(1, History.Kind.SET, "k0", Consistency.QUORUM);
            assertTrue(write.response instanceof Responses.Written, write::toString);
            sim.call(1 + i % 3, History.Kind.GET, "k0", Consistency.ALL);
        }
        sim.idle(SimConfig.REQUEST_TIMEOUT_MS);
        List<String> found = new java.util.ArrayList<>(sim.replicasConverged());
        found.addAll(sim.violations());
        return found;
    }

    @Test
    void noClockRestoreReusesTimestamps() {
        assertCaught(CanaryTest::writesAfterAnIsolatedRestart, OPTIONS, Canary.NO_CLOCK_RESTORE, "timestamp reused");
    }

    // ---- no-read-repair ------------------------------------------------------------------------------

    /**
     * A replica misses writes while down, with hinted handoff off so that only reads can bring it back;
     * then every key is read at ALL. With read repair the replicas converge (checker (b)); without, the
     * returning replica stays behind.
     */
    private static List<String> readsAfterAMissedWrite(Simulation.Options options) {
        Simulation sim = Simulation.shaped(7, SimConfig.calm(3, 10), options.withoutHintedHandoff());
        assertTrue(sim.startCluster());
        sim.node(3).crash();
        for (int i = 0; i < 10; i++) sim.call(1 + i % 2, History.Kind.SET, Workload.key(i), Consistency.QUORUM);
        sim.node(3).start();
        assertTrue(sim.awaitMembership());
        for (int i = 0; i < 10; i++) sim.call(1 + i % 3, History.Kind.GET, Workload.key(i), Consistency.ALL);
        sim.idle(SimConfig.REQUEST_TIMEOUT_MS); // repairs land
        List<String> found = new java.util.ArrayList<>(sim.replicasConverged());
        found.addAll(sim.violations());
        return found;
    }

    @Test
    void noReadRepairLeavesReplicasDiverged() {
        assertCaught(CanaryTest::readsAfterAMissedWrite, OPTIONS, Canary.NO_READ_REPAIR, "(b) replicas of");
    }

    // ---- cas-false-skips-paxos -----------------------------------------------------------------------

    /**
     * Every COMMIT message is lost, so a chosen CAS is stored only on its coordinator; the next CAS goes
     * through another node, whose own replica is stale. Paxos finishes the accepted proposal and decides
     * on the chosen value; a CAS that trusts the local read answers false although its expectation holds,
     * which the linearizability checker reports.
     */
    private static List<String> casesThroughEveryNodeWithCommitsLost(Simulation.Options options) {
        Simulation sim = Simulation.shaped(9, SimConfig.calm(3, 1), options);
        assertTrue(sim.startCluster());
        sim.network().dropRequests(r -> r instanceof PaxosMessages.Commit);
        for (int i = 0; i < 9; i++) {
            History.Operation cas = sim.call(1 + i % 3, History.Kind.CAS, "k0", Consistency.QUORUM);
            assertTrue(cas.succeeded(), cas::toString);
        }
        return sim.violations();
    }

    @Test
    void casFalseSkipsPaxosAnswersFalseOnAStaleReplica() {
        assertCaught(CanaryTest::casesThroughEveryNodeWithCommitsLost, CAS, Canary.CAS_FALSE_SKIPS_PAXOS, "not linearizable");
    }

    // ---- seeded runs ---------------------------------------------------------------------------------

    /** Seeded storms catch some canaries too (docs/reliability.md lists the seeds); the same seeds pass without. */
    @Test
    void seededRunsCatchCanaries() {
        assertSeedCatches(7, OPTIONS, Canary.NO_READ_REPAIR);
        assertSeedCatches(6, OPTIONS, Canary.NO_CLOCK_RESTORE);
    }

    private static void assertSeedCatches(long seed, Simulation.Options options, Canary canary) {
        Simulation.Result clean = Simulation.run(seed, options);
        assertTrue(clean.passed(), () -> SimulationTest.report(clean, options));
        Simulation.Result planted = Simulation.run(seed, planted(options, canary));
        assertFalse(planted.passed(), "seed " + seed + " must catch " + canary.label());
    }
}
