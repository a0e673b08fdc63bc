package memdb.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Histories the fault harness recorded ({@code memdb-chaos}'s cas-register workload saves every one under
 * {@code memdb-chaos/target/chaos-histories} in {@link HistoryFile}'s format), replayed: each must check
 * as linearizable within the harness's budget (3,000,000 steps or 30 s; a time-out there counts as a
 * failure). The files in {@code src/test/resources/memdb/linearizability/chaos} come from runs of the seed
 * whose long run 3 (docs/reliability.md) had checker time-outs, in the faults that had them (every node
 * killed at once, one node isolated); each file's comment says which run and round. The four
 * {@code kill-all-r17-*} and {@code kill-all-r34-*} files are reproducers: the same rounds of long run 4,
 * on which the checker before the unknown-outcome rules ran out of that budget (25 to 37 unknown
 * operations each, most of them reads); now each takes a few hundred steps. To replay another saved
 * history, copy it here.
 */
class ChaosHistoriesTest {
    /** The budget of {@code memdb.chaos.CasRegisterWorkload}. */
    private static final Budget HARNESS_BUDGET = new Budget(3_000_000, Duration.ofSeconds(30));

    @Test
    void savedChaosHistoriesCheckWithinTheHarnessBudget() throws Exception {
        List<Path> files = savedHistories();
        assertFalse(files.isEmpty(), "no saved histories found");
        for (Path file : files) {
            History history = HistoryFile.read(file);
            long unknown = history.operations().stream().filter(Operation::unknown).count();
            long start = System.nanoTime();
            CheckResult result = new LinearizabilityChecker(HARNESS_BUDGET, System::nanoTime).check(history);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("linearizability: %s, %d operations (%d unknown): %s, %d ms%n",
                    file.getFileName(), history.operations().size(), unknown, result, millis);
            assertInstanceOf(CheckResult.Linearizable.class, result, file.getFileName() + ": " + Checks.describe(result));
        }
    }

    @Test
    void historyFilesReadBackWhatWasWritten(@TempDir Path directory) throws Exception {
        History history = History.builder()
                .invoke(1, Input.cas(null, "a b")).invoke(2, Input.read()).ok(2, Output.value(null)).unknown(1)
                .invoke(2, Input.write("x%y")).ok(2, Output.written())
                .invoke(3, Input.cas("x%y", "c")).ok(3, Output.swapped(false)).invoke(4, Input.read()).fail(4)
                .build();
        Path file = directory.resolve("h.history");
        HistoryFile.write(history, file, "two\nlines");
        assertEquals(history.events(), HistoryFile.read(file).events());
    }

    private static List<Path> savedHistories() throws URISyntaxException, IOException {
        Path directory = Path.of(ChaosHistoriesTest.class.getResource("chaos").toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".history")).sorted().toList();
        }
    }
}
