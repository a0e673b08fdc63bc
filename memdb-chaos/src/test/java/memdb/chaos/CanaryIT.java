package memdb.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A harness that cannot fail proves nothing: each bug canary (memdb.node.Canaries, switched on in the
 * node processes with {@code -Dmemdb.canary=NAME} through JDK_JAVA_OPTIONS) must make the harness's
 * checkers report a violation under the faults and workload that expose it. Rounds are repeated (at most
 * {@link #ROUNDS_MAX}) until a checker reports; the test fails if none ever does.
 */
class CanaryIT {
    private static final int ROUNDS_MAX = 3;
    /** Without hints and anti-entropy, only read repair brings a stale replica up to date. */
    private static final Map<String, String> ONLY_READ_REPAIR = Map.of("MEMDB_MAX_HINTS_PER_PEER", "0", "MEMDB_REPAIR_INTERVAL_MS", "0");

    @TempDir
    Path root;

    /** Runs rounds with {@code canary} on until a checker named in {@code checkers} reports; returns its violations. */
    private List<String> violationsWith(String canary, Map<String, String> environment, Fault fault, Duration round,
                                        Function<String, List<Workload>> workloads, String... checkers) throws Exception {
        return violationsWith(canary, environment, fault, round, Duration.ofSeconds(1), workloads, checkers);
    }

    private List<String> violationsWith(String canary, Map<String, String> environment, Fault fault, Duration round,
                                        Duration afterHealing, Function<String, List<Workload>> workloads,
                                        String... checkers) throws Exception {
        long seed = ChaosRun.seed();
        Map<String, String> env = new HashMap<>(environment);
        env.put("JDK_JAVA_OPTIONS", "-Dmemdb.canary=" + canary);
        List<String> found = new ArrayList<>();
        try (ChaosCluster cluster = new ChaosCluster(root, 3, seed, env)) {
            ChaosRun run = new ChaosRun(cluster, seed, 2);
            try {
                for (int number = 1; number <= ROUNDS_MAX && found.isEmpty(); number++) {
                    RoundResult result = run.round(number, List.of(fault), round, afterHealing, workloads);
                    for (Verdict verdict : result.verdicts()) {
                        if (List.of(checkers).contains(verdict.checker())) found.addAll(verdict.violations());
                    }
                    System.out.println("canary " + canary + ", round " + number + ": " + result.violations());
                }
            } finally {
                run.close();
            }
        }
        return found;
    }

    @Test
    void ackBeforeFsyncLosesAcknowledgedWritesWhenEveryNodeIsKilled() throws Exception {
        // Each key written once: a later write cannot hide the loss of an earlier one.
        List<String> found = violationsWith("ack-before-fsync", Map.of(), Fault.KILL_ALL, Duration.ofSeconds(5),
                prefix -> List.of(new QuorumSetWorkload(prefix, 1, false)), "quorum-writes");
        assertTrue(!found.isEmpty(), "the quorum-writes checker did not catch ack-before-fsync");
    }

    @Test
    void noClockRestoreLetsOldWritesWinAfterEveryNodeRestarted() throws Exception {
        // Each client overwrites one key all along and reads it back at QUORUM: after the restart its writes
        // carry timestamps below the ones before, so the old value wins and the read-back shows it.
        List<String> found = violationsWith("no-clock-restore", Map.of(), Fault.KILL_ALL, Duration.ofSeconds(5),
                Duration.ofSeconds(5), prefix -> List.of(new QuorumSetWorkload(prefix, 1_000_000, true)), "quorum-writes");
        assertTrue(!found.isEmpty(), "the quorum-writes checker did not catch no-clock-restore");
    }

    @Test
    void noReadRepairLeavesAnIsolatedReplicaStale() throws Exception {
        List<String> found = violationsWith("no-read-repair", ONLY_READ_REPAIR, Fault.PARTITION_ONE, Duration.ofSeconds(8),
                prefix -> List.of(new QuorumSetWorkload(prefix, 3, false)), "convergence");
        assertTrue(!found.isEmpty(), "the convergence checker did not catch no-read-repair");
    }

    @Test
    void casFalseSkippingPaxosAnswersFromAStaleReplica() throws Exception {
        List<String> found = violationsWith("cas-false-skips-paxos", ONLY_READ_REPAIR, Fault.KILL, Duration.ofSeconds(12),
                prefix -> List.of(new CasRegisterWorkload(prefix, 1, 300)), "cas-register");
        assertTrue(!found.isEmpty(), "the linearizability checker did not catch cas-false-skips-paxos");
    }

    @Test
    void forgetPromiseLosesAChosenValueWhenEveryAcceptorRestarts() throws Exception {
        List<String> found = violationsWith("forget-promise", Map.of(), Fault.KILL_ALL, Duration.ofSeconds(8),
                prefix -> List.of(new CasRegisterWorkload(prefix, 1, 300), new AppendWorkload(prefix, 1_000)),
                "cas-register", "unique-appends");
        assertTrue(!found.isEmpty(), "neither CAS checker caught forget-promise");
    }
}
