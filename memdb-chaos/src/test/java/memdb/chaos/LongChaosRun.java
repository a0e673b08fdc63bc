package memdb.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long run ({@code -Pchaos}, {@code tools/chaos.sh SECONDS}): five nodes, rounds of one fault each in
 * turn until the duration
 * ({@code -Dmemdb.chaos.duration}, seconds) is spent, and the Markdown report in
 * {@code target/chaos-report.md}. Not part of the normal build (the failsafe includes only *IT).
 */
class LongChaosRun {
    private static final Duration ROUND = Duration.ofSeconds(30);
    /** Every fault once in the first twelve rounds; kill -9 in every third round, for the kill -9 cycle count. */
    private static final List<Fault> ORDER = List.of(Fault.KILL, Fault.CLOCK_SKEW, Fault.PARTITION_HALVES, Fault.KILL,
            Fault.LOG_TRUNCATE, Fault.PAUSE, Fault.KILL, Fault.PARTITION_ONE, Fault.LOG_BITFLIP, Fault.KILL,
            Fault.PARTITION_BRIDGE, Fault.BLACK_HOLE, Fault.KILL, Fault.DELAY, Fault.LOSS, Fault.KILL, Fault.KILL_ALL);

    @TempDir
    Path root;

    @Test
    void longRun() throws Exception {
        assertTrue(Files.exists(ChaosCluster.LIBFAKETIME), "libfaketime is missing: apt-get install faketime");
        long seconds = Long.parseLong(System.getProperty("memdb.chaos.duration", "600"));
        Path reportFile = Path.of(System.getProperty("memdb.chaos.report", "target/chaos-report.md"));
        List<Fault> order = order(System.getProperty("memdb.chaos.faults", ""));
        long seed = ChaosRun.seed();
        List<RoundResult> rounds = new ArrayList<>();
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(seconds).toNanos();
        try (ChaosCluster cluster = new ChaosCluster(root, 5, seed, Map.of())) {
            ChaosRun run = new ChaosRun(cluster, seed, 2);
            try {
                for (int number = 1; System.nanoTime() + ROUND.toNanos() / 2 < deadline; number++) {
                    Fault fault = order.get((number - 1) % order.size());
                    boolean disk = fault == Fault.LOG_TRUNCATE || fault == Fault.LOG_BITFLIP;
                    RoundResult result = run.round(number, List.of(fault), ROUND, disk ? Workloads::diskDamage : Workloads::all);
                    rounds.add(result);
                    System.out.println("round " + number + " (" + fault.title + "): " + result.operations() + " operations, "
                            + result.violations().size() + " violations");
                }
            } finally {
                run.close();
                String faults = order.equals(ORDER) ? "" : " -Dchaos.faults=" + String.join(",", order.stream().map(Fault::name).toList());
                String command = "tools/chaos.sh " + seconds + "   (mvn -B -Pchaos -pl memdb-chaos -am verify -Dchaos.duration=" + seconds + faults + ")";
                String report = Report.markdown(command, seed, 5, (System.nanoTime() - started) / 1_000_000_000L, rounds);
                Files.createDirectories(reportFile.toAbsolutePath().getParent());
                Files.writeString(reportFile, report, StandardCharsets.UTF_8);
                System.out.println(report);
            }
        }
        List<String> violations = rounds.stream().flatMap(r -> r.violations().stream()).toList();
        assertEquals(List.of(), violations, "see " + reportFile);
    }

    /** The faults in turn: {@code -Dchaos.faults=KILL_ALL,PARTITION_ONE} (names of {@link Fault}) or, if empty, {@link #ORDER}. */
    private static List<Fault> order(String names) {
        if (names.isBlank()) return ORDER;
        return Arrays.stream(names.split(",")).map(String::strip).map(Fault::valueOf).toList();
    }
}
