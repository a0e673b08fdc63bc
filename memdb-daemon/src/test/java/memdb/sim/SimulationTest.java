package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeded simulation suite (DESIGN §2, STYLE §11). By default seeds 1..500; knobs:
 * {@code -Dmemdb.sim.seeds=5000} runs more, {@code -Dmemdb.sim.firstSeed=100000} moves the range,
 * {@code -Dmemdb.sim.seed=123} replays one seed (a failure message prints exactly that command).
 */
class SimulationTest {
    private static final String REPLAY = "mvn -B -o -pl memdb-client,memdb-daemon test -Dtest='memdb.sim.**'"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dmemdb.sim.seed=";

    static LongStream seeds() {
        String one = System.getProperty("memdb.sim.seed");
        if (one != null && !one.isBlank()) return LongStream.of(Long.parseLong(one.trim()));
        long first = Long.getLong("memdb.sim.firstSeed", 1);
        return LongStream.range(first, first + Long.getLong("memdb.sim.seeds", 500));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void seededRunKeepsTheInvariants(long seed) {
        Simulation.Result result = Simulation.run(seed);
        assertTrue(result.passed(), () -> report(result));
    }

    @Test
    void aSeedReplaysToTheSameTrace() {
        for (long seed : new long[] {1, 7, 42}) {
            Simulation.Result first = Simulation.run(seed);
            Simulation.Result second = Simulation.run(seed);
            assertEquals(first.traceLines(), second.traceLines(), "seed " + seed + ": trace length differs");
            assertEquals(first.traceHash(), second.traceHash(), "seed " + seed + ": trace differs");
            assertTrue(first.traceLines() > 100, "seed " + seed + " did almost nothing: " + first.traceLines());
        }
    }

    static String report(Simulation.Result result) {
        return "seed " + result.seed() + " failed; replay with: " + REPLAY + result.seed()
                + "\n" + result.config()
                + "\nviolations (" + result.violations().size() + "):\n  "
                + String.join("\n  ", result.violations().subList(0, Math.min(10, result.violations().size())))
                + "\nlast events:\n  " + result.traceTail();
    }
}
