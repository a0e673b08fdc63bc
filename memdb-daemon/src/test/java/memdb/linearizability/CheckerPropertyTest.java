package memdb.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property tests (etcd-io/raft style: fast code against a dumb reference). Every case is built from
 * its own seed, printed in any failure message, so it can be replayed alone.
 */
class CheckerPropertyTest {
    private static final int SMALL_CASES = 4_000;
    private static final int LARGE_CASES = 300;

    /** Tiny histories, half of them corrupted: the checker agrees with exhaustive enumeration. */
    @Test
    void agreesWithBruteForceOnSmallHistories() {
        agreesWithBruteForce(0.15, 1, false);
    }

    /**
     * The same with many unknown outcomes (30 to 60 percent, as when every node is killed at once):
     * the rules that keep unknown operations from multiplying the search lose no linearization and
     * invent none.
     */
    @Test
    void agreesWithBruteForceOnSmallHistoriesWithManyUnknowns() {
        agreesWithBruteForce(0.3, 1_000_001, false);
        agreesWithBruteForce(0.6, 2_000_001, false);
        agreesWithBruteForce(0.3, 3_000_001, true);
        agreesWithBruteForce(0.6, 4_000_001, true);
    }

    /**
     * {@code SMALL_CASES} seeds from {@code firstSeed} (random operations, or the chaos harness's CAS
     * workload's shape); a failure names its seed and unknown rate.
     */
    private static void agreesWithBruteForce(double unknownRate, long firstSeed, boolean casWorkload) {
        int violations = 0;
        for (long seed = firstSeed; seed < firstSeed + SMALL_CASES; seed++) {
            History history = smallHistory(seed, unknownRate, casWorkload);
            boolean expected = BruteForceChecker.linearizable(history);
            CheckResult result = Checks.check(history);
            if (expected != result instanceof CheckResult.Linearizable || result instanceof CheckResult.Timeout) {
                fail("seed " + seed + " (unknown rate " + unknownRate + (casWorkload ? ", CAS workload" : "") + "): brute force says " + (expected ? "linearizable" : "not linearizable")
                        + ", checker says " + result + "\n" + history);
            }
            if (result instanceof CheckResult.Linearizable linearizable) {
                assertTrue(BruteForceChecker.isLegal(linearizable.linearization()), "seed " + seed + ": illegal witness");
                assertEquals(history.operations().size(), linearizable.linearization().size(), "seed " + seed);
            } else {
                violations++;
            }
        }
        assertTrue(violations > SMALL_CASES / 10, "corruptions too weak: only " + violations + " violations");
    }

    /** Larger simulated histories are linearizable by construction; the witness must replay. */
    @Test
    void simulatedRegisterHistoriesAreLinearizable() {
        for (long seed = 1; seed <= LARGE_CASES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            RegisterSimulation.Settings settings = new RegisterSimulation.Settings(
                    2 + random.nextInt(6), 10 + random.nextInt(60), 2 + random.nextInt(3), 0.05, 0.05);
            History history = RegisterSimulation.generate(random, settings);
            CheckResult result = Checks.check(history);
            if (!(result instanceof CheckResult.Linearizable linearizable)) {
                throw new AssertionError("seed " + seed + ": " + Checks.describe(result));
            }
            assertTrue(BruteForceChecker.isLegal(linearizable.linearization()), "seed " + seed + ": illegal witness");
        }
    }

    /**
     * Corrupted larger histories: whenever the checker reports a violation, the minimized
     * counterexample must itself be non-linearizable per the reference (when small enough), and
     * 1-minimal: dropping any one of its operations makes it linearizable or moves the stuck point.
     */
    @Test
    void minimizedCounterexamplesAreRealAndMinimal() {
        LinearizabilityChecker checker = Checks.checker();
        ViolationReport report = new ViolationReport(checker, 1_000);
        int checked = 0;
        for (long seed = 1; seed <= LARGE_CASES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            RegisterSimulation.Settings settings = new RegisterSimulation.Settings(2 + random.nextInt(4), 10 + random.nextInt(30), 3, 0.05, 0.05);
            History history = RegisterSimulation.corrupt(random, RegisterSimulation.generate(random, settings), 3);
            if (!(checker.check(history) instanceof CheckResult.Violation violation)) {
                continue;
            }
            List<Operation> minimal = report.minimize(violation);
            History minimalHistory = history.restrictTo(minimal);
            String context = "seed " + seed + ", minimal:\n" + minimalHistory;
            if (minimal.size() <= BruteForceChecker.OPERATIONS_MAX) {
                assertTrue(!BruteForceChecker.linearizable(minimalHistory), context);
                checked++;
            }
            for (int drop = 0; drop < minimal.size(); drop++) {
                List<Operation> fewer = new ArrayList<>(minimal);
                fewer.remove(drop);
                CheckResult result = checker.check(history.restrictTo(fewer));
                assertTrue(!ViolationReport.stillBlocksAt(violation.blocked(), fewer, result), context + "drop #" + minimal.get(drop).id());
            }
        }
        assertTrue(checked > 20, "too few counterexamples checked: " + checked);
    }

    private static History smallHistory(long seed, double unknownRate, boolean casWorkload) {
        SplittableRandom random = new SplittableRandom(seed);
        RegisterSimulation.Settings settings = new RegisterSimulation.Settings(
                1 + random.nextInt(4), 1 + random.nextInt(7), 2 + random.nextInt(2), 0.1, unknownRate);
        History history = RegisterSimulation.generate(random, settings, casWorkload);
        return random.nextBoolean() ? RegisterSimulation.corrupt(random, history, 3) : history;
    }
}
