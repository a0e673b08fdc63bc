package memdb.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short run of the fault harness, part of {@code mvn verify}: three real nodes behind their proxies,
 * the four workloads under a mix of process and network faults, then quorum writes and counters under log
 * damage; every checker must find nothing. (Clock skew is in the long run only: a JVM under libfaketime
 * takes about a minute to start here, more than this run's budget.)
 */
class ChaosIT {
    @TempDir
    Path root;

    @Test
    void aShortRunUnderEveryFaultFindsNoViolation() throws Exception {
        long seed = ChaosRun.seed();
        try (ChaosCluster cluster = new ChaosCluster(root, 3, seed, Map.of())) {
            ChaosRun run = new ChaosRun(cluster, seed, 2);
            try {
                RoundResult mixed = run.round(1, List.of(Fault.KILL, Fault.PAUSE, Fault.PARTITION_HALVES, Fault.PARTITION_ONE,
                        Fault.PARTITION_BRIDGE, Fault.BLACK_HOLE, Fault.DELAY, Fault.LOSS),
                        Duration.ofSeconds(30), Workloads::all);
                RoundResult disk = run.round(2, List.of(Fault.LOG_TRUNCATE, Fault.LOG_BITFLIP), Duration.ofSeconds(12),
                        Workloads::diskDamage);
                String report = Report.markdown("ChaosIT (seed " + seed + ")", seed, 3, 0, List.of(mixed, disk));
                System.out.println(report);
                assertTrue(mixed.operations() > 100 && mixed.strikes() > 0, report);
                assertTrue(disk.killCycles() > 0, report);
                assertEquals(List.of(), mixed.violations(), report);
                assertEquals(List.of(), disk.violations(), report);
            } finally {
                run.close();
            }
        }
    }
}
