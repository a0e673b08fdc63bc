package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import memdb.protocol.Consistency;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CAS and serial-read workload under the seeded faults (docs/cas.md): clients on at most three keys,
 * every key's history checked linearizable by the Wing and Gong / Lowe checker ({@link CasChecker}).
 * Same seeds and knobs as {@link SimulationTest} ({@code -Dmemdb.sim.seed=N} replays one).
 */
class CasSimulationTest {
    private static final String REPLAY = "mvn -B -o -q -pl memdb-client,memdb-daemon test -Dtest='CasSimulationTest'"
            + " -Dsurefire.failIfNoSpecifiedTests=false";

    static java.util.stream.LongStream seeds() {
        return SimulationTest.seeds();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void casHistoriesAreLinearizable(long seed) {
        Simulation.Options options = Simulation.Options.DEFAULTS.withCasWorkload();
        Simulation.Result result = Simulation.run(seed, options);
        if (!result.passed()) {
            fail("seed " + seed + " failed; replay with: " + REPLAY + " -Dmemdb.sim.seed=" + seed + "\n" + result.config()
                    + "\nviolations (" + result.violations().size() + "):\n  "
                    + String.join("\n  ", result.violations().subList(0, Math.min(5, result.violations().size())))
                    + "\nlast events:\n  " + result.traceTail());
        }
        assertTrue(result.operations() > 0, "seed " + seed + " ran no operation");
    }

    /**
     * Durable acceptor state matters: a CAS is chosen by the acceptors of n1 and n2 (n3 cut off), its
     * commits are lost, n1 dies for good and n2 restarts. A serial read through n2 and n3 must still find
     * the accepted value in n2's replayed state and finish it; an acceptor that forgot it answers "absent"
     * after an acknowledged CAS, which the linearizability checker reports.
     */
    @Test
    void aRestartedAcceptorKeepsWhatItAccepted() {
        assertEquals(List.of(), acceptThenRestart(Simulation.Options.DEFAULTS.withCasWorkload()));
    }

    @Test
    void anAcceptorThatForgetsOnRestartIsCaught() {
        List<String> violations = acceptThenRestart(Simulation.Options.DEFAULTS.withCasWorkload().withoutPaxosState());
        assertTrue(violations.stream().anyMatch(v -> v.contains("not linearizable")), violations::toString);
    }

    static List<String> acceptThenRestart(Simulation.Options options) {
        Simulation sim = Simulation.shaped(3, SimConfig.calm(3, 1), options);
        assertTrue(sim.startCluster());
        sim.network().dropRequests(r -> r instanceof PaxosMessages.Commit);
        sim.network().cut(1, 3);
        History.Operation cas = sim.call(1, History.Kind.CAS, "k0", Consistency.QUORUM);
        assertEquals(new Responses.Bool(true), cas.response, cas::toString);
        sim.node(1).crash();
        sim.node(2).crash();
        sim.node(2).start();
        sim.network().healAll();
        // A restarted node coordinates nothing until it has heard from a peer (its ring may be old).
        assertTrue(sim.awaitScenario(() -> sim.node(2).core().membership().heardFromPeers(), "n2 did not hear from n3"),
                sim::traceTail);
        History.Operation read = sim.call(2, History.Kind.SERIAL_GET, "k0", Consistency.QUORUM);
        assertTrue(read.response instanceof Responses.Value, read::toString);
        return sim.violations();
    }
}
