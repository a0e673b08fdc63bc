package memdb.linearizability;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 300-operation history from 5 to 10 concurrent clients, with a few failures and unknown outcomes,
 * checks within a few seconds. The bound is generous (shared CI cores); the real time is printed.
 */
class CheckerPerformanceTest {
    private static final int OPERATIONS = 300;
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void threeHundredOperationsCheckQuickly() {
        for (int clients = 5; clients <= 10; clients += 5) {
            for (long seed = 1; seed <= 3; seed++) {
                SplittableRandom random = new SplittableRandom(seed);
                History history = RegisterSimulation.generate(random,
                        new RegisterSimulation.Settings(clients, OPERATIONS, 3, 0.03, 0.03));
                long start = System.nanoTime();
                CheckResult result = new LinearizabilityChecker(new Budget(5_000_000, BOUND), System::nanoTime).check(history);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                long unknown = history.operations().stream().filter(Operation::unknown).count();
                System.out.printf("linearizability: %d operations (%d unknown), %d clients, seed %d: %s in %d steps, %d ms%n",
                        history.operations().size(), unknown, clients, seed,
                        result.getClass().getSimpleName(), result.steps(), took.toMillis());
                assertInstanceOf(CheckResult.Linearizable.class, result, "seed " + seed + ": " + result);
                assertTrue(took.compareTo(BOUND) < 0, "seed " + seed + " took " + took);
            }
        }
    }

    /** Unknown outcomes stay open forever, so each one widens the search: ten percent of them. */
    @Test
    void threeHundredOperationsWithManyUnknownOutcomesCheckQuickly() {
        for (long seed = 1; seed <= 3; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            History history = RegisterSimulation.generate(random, new RegisterSimulation.Settings(10, OPERATIONS, 3, 0.05, 0.10));
            long start = System.nanoTime();
            CheckResult result = new LinearizabilityChecker(new Budget(5_000_000, BOUND), System::nanoTime).check(history);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long unknown = history.operations().stream().filter(Operation::unknown).count();
            System.out.printf("linearizability: %d operations (%d unknown), 10 clients, seed %d: %s, %d ms%n",
                    history.operations().size(), unknown, seed, result, took.toMillis());
            assertInstanceOf(CheckResult.Linearizable.class, result, "seed " + seed + ": " + result);
        }
    }

    /**
     * Histories shaped like the chaos harness's CAS register workload (compare-and-set from the value last
     * seen, set-if-absent after an unknown outcome) from 20 clients with half the outcomes unknown, as
     * when every node is killed at once: each within the harness's budget of 3,000,000 steps. Each
     * unknown stays open to the end of the history; before unknown operations were linearized only
     * where they change the state, the checker ran out of that budget on seeds 1, 2, 3 and 7 of these
     * and took 0.5 to 1.3 million steps on the others (now: at most 7,266).
     */
    @Test
    void casWorkloadHistoriesWithHalfTheOutcomesUnknownCheckWithinTheHarnessBudget() {
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            History history = RegisterSimulation.generate(random,
                    new RegisterSimulation.Settings(20, OPERATIONS, 3, 0.03, 0.5), true);
            long start = System.nanoTime();
            CheckResult result = new LinearizabilityChecker(new Budget(3_000_000, BOUND), System::nanoTime).check(history);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long unknown = history.operations().stream().filter(Operation::unknown).count();
            System.out.printf("linearizability: CAS workload, %d operations (%d unknown), 20 clients, seed %d: %s, %d ms%n",
                    history.operations().size(), unknown, seed, result, took.toMillis());
            assertInstanceOf(CheckResult.Linearizable.class, result, "seed " + seed + ": " + result);
        }
    }

    /**
     * The same with one corrupted result: the search must rule out every linearization, with half the
     * outcomes unknown and open. Within the harness's budget (the checker before these rules ran out of
     * it on 9 of these 10 seeds; now at most about 125,000 steps).
     */
    @Test
    void corruptedCasWorkloadHistoriesWithHalfTheOutcomesUnknownAreDecidedWithinTheHarnessBudget() {
        int violations = 0;
        for (long seed = 1; seed <= 10; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            History history = RegisterSimulation.corrupt(random, RegisterSimulation.generate(random,
                    new RegisterSimulation.Settings(20, OPERATIONS, 3, 0.03, 0.5), true), 3);
            long start = System.nanoTime();
            CheckResult result = new LinearizabilityChecker(new Budget(3_000_000, BOUND), System::nanoTime).check(history);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("linearizability: corrupted CAS workload, %d operations, 20 clients, seed %d: %s in %d steps, %d ms%n",
                    history.operations().size(), seed, result.getClass().getSimpleName(), result.steps(), took.toMillis());
            assertTrue(!(result instanceof CheckResult.Timeout), "seed " + seed + ": " + result);
            violations += result instanceof CheckResult.Violation ? 1 : 0;
        }
        assertTrue(violations > 0, "no corruption was caught");
    }

    /** The same size with one corrupted result: finding (or ruling out) the violation is bounded too. */
    @Test
    void threeHundredOperationsWithACorruptionCheckQuickly() {
        int violations = 0;
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            History history = RegisterSimulation.corrupt(random, RegisterSimulation.generate(random,
                    new RegisterSimulation.Settings(5 + random.nextInt(6), OPERATIONS, 3, 0.03, 0.03)), 3);
            long start = System.nanoTime();
            CheckResult result = new LinearizabilityChecker(new Budget(5_000_000, BOUND), System::nanoTime).check(history);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("linearizability: corrupted %d operations, seed %d: %s in %d steps, %d ms%n",
                    history.operations().size(), seed, result.getClass().getSimpleName(), result.steps(), took.toMillis());
            assertTrue(!(result instanceof CheckResult.Timeout), "seed " + seed + ": " + result);
            violations += result instanceof CheckResult.Violation ? 1 : 0;
        }
        assertTrue(violations > 0, "no corruption was caught");
    }
}
