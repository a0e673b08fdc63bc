package memdb.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import memdb.client.MemDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A harness that cannot fail proves nothing: each bug canary (memdb.node.Canaries, switched on in a node
 * process with {@code -Dmemdb.canary=NAME}) must make one of the harness's checkers report a violation,
 * every run. Each test plays a scripted fault schedule (no random nemesis) on real processes through the
 * harness's own pieces (the proxies' partitions and delays, kill -9, the workloads' recorded histories
 * and their checkers) twice: without the canary, where every checker must pass, and with it, where the
 * named checker must report. The schedule leaves the bug no way out, so the violation comes from the bug,
 * not from the scenario or from luck. docs/reliability.md, "Canaries: the harness can fail", gives each
 * schedule in a line.
 *
 * <p>One 3-node cluster serves every test ({@link ChaosCluster#plant} restarts only the nodes whose canary
 * must change); each run uses keys of its own. Hinted handoff and anti-entropy are off, so that a replica
 * that missed something stays behind unless the code under test repairs it; time-outs are long, so that
 * a link held back on purpose is not taken for a dead node.
 */
class CanaryIT {
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "MEMDB_MAX_HINTS_PER_PEER", "0", "MEMDB_REPAIR_INTERVAL_MS", "0",
            "MEMDB_DOWN_AFTER_MS", "10000", "MEMDB_REQUEST_TIMEOUT_MS", "10000", "MEMDB_CAS_TIMEOUT_MS", "30000");
    /** How long the forget-promise scenario holds node 1's messages to node 2 (its CAS's COMMIT among them). */
    private static final long HOLD_MS = 1_500;

    @TempDir
    static Path root;
    private static ChaosCluster cluster;
    private static final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ChaosCluster(root, 3, 0, ENVIRONMENT);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) cluster.close();
    }

    /** One scripted run: plays its schedule with {@code canary} planted (null: none) and returns every checker's verdict. */
    private interface Scenario {
        List<Verdict> run(String canary) throws Exception;
    }

    /**
     * Runs {@code scenario} without the canary (no checker may report) and with it ({@code checker} must
     * report); returns the violations found with it.
     */
    private static List<String> assertCaught(String canary, String checker, Scenario scenario) throws Exception {
        List<String> control = violations(scenario.run(null), null);
        assertEquals(List.of(), control, "the scenario for " + canary + " must pass without the canary");
        List<String> caught = violations(scenario.run(canary), checker);
        System.out.println("canary " + canary + " caught by " + checker + ": " + caught);
        assertTrue(!caught.isEmpty(), "the " + checker + " checker did not catch " + canary + "\n" + cluster.logs());
        return caught;
    }

    /** The violations of {@code checker}'s verdicts (null: of every verdict), each prefixed with its checker. */
    private static List<String> violations(List<Verdict> verdicts, String checker) {
        List<String> found = new ArrayList<>();
        for (Verdict verdict : verdicts) {
            if (checker != null && !verdict.checker().equals(checker)) continue;
            for (String violation : verdict.violations()) found.add(verdict.checker() + ": " + violation);
        }
        return found;
    }

    /** Keys of their own for each run. */
    private static String prefix(String name) {
        return name + "-" + runs.incrementAndGet();
    }

    private static Map<Integer, String> everyNode(String canary) {
        Map<Integer, String> all = new HashMap<>();
        if (canary != null) for (ChaosCluster.Node node : cluster.nodes()) all.put(node.id, canary);
        return all;
    }

    private static Map<Integer, String> onlyNode(int id, String canary) {
        Map<Integer, String> one = new HashMap<>();
        if (canary != null) one.put(id, canary);
        return one;
    }

    /** kill -9 to every node at once, then every node started again with {@code canaries}. */
    private static void killAllAndRestart(Map<Integer, String> canaries) throws Exception {
        cluster.killAll();
        for (ChaosCluster.Node node : cluster.nodes()) node.canary = canaries.get(node.id);
        cluster.heal();
        assertTrue(cluster.awaitAllUp(Duration.ofSeconds(60)), "the cluster did not come back within 60 s");
        for (ChaosCluster.Node node : cluster.nodes()) cluster.awaitServing(node);
    }

    /** The final reads at ALL through node 1 (which read-repair), then the convergence of every key written. */
    private static List<Verdict> checkQuorumWrites(QuorumSetWorkload writes) throws InterruptedException {
        List<Verdict> verdicts = new ArrayList<>();
        try (MemDb reader = cluster.clientOf(cluster.node(1))) {
            verdicts.addAll(writes.check(reader));
        }
        verdicts.add(new Convergence(cluster.node(1).server.adminAddress()).check(writes.convergenceKeys()));
        return verdicts;
    }

    // ---- ack-before-fsync ----------------------------------------------------------------------------

    /**
     * Every node runs the canary. One write, 1.1 s of quiet and a second write (a commit after the canary's
     * 1 s hold: what was held so far goes out to the log), then ten keys written at QUORUM in a burst (well
     * inside the next hold) and every node killed at once right after the last acknowledgement: the burst's
     * records were still in the processes' memory, so after the restart the reads at ALL find acknowledged
     * writes gone.
     */
    private static List<Verdict> burstThenKillEveryNode(String canary) throws Exception {
        cluster.plant(everyNode(canary));
        QuorumSetWorkload writes = new QuorumSetWorkload(prefix("ack"), 1, false);
        Random random = new Random(1);
        try (MemDb client = cluster.clientOf(cluster.node(1))) {
            writes.step(client, 0, random);
            Thread.sleep(1_100);
            writes.step(client, 0, random);
            for (int i = 0; i < 10; i++) writes.step(client, 0, random);
        }
        killAllAndRestart(Map.of());
        return checkQuorumWrites(writes);
    }

    @Test
    void ackBeforeFsyncLosesAcknowledgedWritesWhenEveryNodeIsKilled() throws Exception {
        assertCaught("ack-before-fsync", "quorum-writes", CanaryIT::burstThenKillEveryNode);
    }

    // ---- no-clock-restore ----------------------------------------------------------------------------

    /**
     * Node 1 writes one key 30 times (its Lamport clock, and its peers', well past 30). Every node is
     * killed and restarted, with the canary: the clocks start again at 0 and nothing in a quiet cluster
     * moves them (only writes and ballots tick, and peers carry only their own clocks). A fresh client,
     * with no time of its own to carry, writes the key once more through node 1: the write is stamped
     * below the old ones, acknowledged, and lost to them: the read-back at QUORUM and the final read at ALL
     * both find the older value.
     */
    private static List<Verdict> overwriteAfterEveryNodeRestarted(String canary) throws Exception {
        cluster.plant(Map.of());
        QuorumSetWorkload writes = new QuorumSetWorkload(prefix("clock"), 1_000_000, true);
        Random random = new Random(1);
        try (MemDb client = cluster.clientOf(cluster.node(1))) {
            for (int i = 0; i < 30; i++) writes.step(client, 0, random);
        }
        killAllAndRestart(everyNode(canary));
        try (MemDb fresh = cluster.clientOf(cluster.node(1))) {
            writes.step(fresh, 0, random);
        }
        return checkQuorumWrites(writes);
    }

    @Test
    void noClockRestoreLetsOldWritesWinAfterEveryNodeRestarted() throws Exception {
        assertCaught("no-clock-restore", "quorum-writes", CanaryIT::overwriteAfterEveryNodeRestarted);
    }

    // ---- no-read-repair ------------------------------------------------------------------------------

    /**
     * Node 3 is cut off from its peers (the proxies refuse and close the links) while node 1 writes five
     * keys at QUORUM; the partition heals; node 1, which runs the canary, reads every key at ALL. With hints
     * and anti-entropy off only that read could bring node 3 up to date: with the canary it does not, and
     * node 3's replicas still differ when the convergence window closes.
     */
    private static List<Verdict> readAtAllAfterAnIsolation(String canary) throws Exception {
        cluster.plant(onlyNode(1, canary));
        QuorumSetWorkload writes = new QuorumSetWorkload(prefix("repair"), 1, false);
        Random random = new Random(1);
        cluster.faults().partition(List.of(3), List.of(1, 2), NetworkFaults.Cut.CLOSE);
        try (MemDb client = cluster.clientOf(cluster.node(1))) {
            for (int i = 0; i < 5; i++) writes.step(client, 0, random);
        }
        cluster.heal();
        assertTrue(cluster.awaitAllUp(Duration.ofSeconds(60)), "the cluster did not come back within 60 s");
        return checkQuorumWrites(writes);
    }

    @Test
    void noReadRepairLeavesAnIsolatedReplicaStale() throws Exception {
        assertCaught("no-read-repair", "convergence", CanaryIT::readAtAllAfterAnIsolation);
    }

    // ---- cas-false-skips-paxos -----------------------------------------------------------------------

    /**
     * Node 3 is down (kill -9) while a CAS through node 1 sets the register (Paxos with nodes 1 and 2; the
     * commit to node 3 fails at once, its proxy finding nothing to connect to); node 3 starts again, with
     * the canary (no hints, no anti-entropy: its replica stays empty; its JVM start leaves seconds between
     * the failed commit and a node 3 that could take it). A CAS from that value to a new one goes through
     * node 3: with the canary its own stale replica says the expectation fails, so it answers false without
     * a round, while every linearization has the register hold the expected value. A serial read through
     * node 1 ends the history. (A partition instead of the kill would race: a commit still connecting when
     * the partition heals reaches node 3.)
     */
    private static List<Verdict> casThroughAStaleReplica(String canary) throws Exception {
        cluster.plant(Map.of());
        CasRegisterWorkload register = new CasRegisterWorkload(prefix("cas"), 1, 300);
        String key = prefix("cas-key");
        ChaosCluster.Node three = cluster.node(3);
        cluster.kill(three);
        try (MemDb one = cluster.clientOf(cluster.node(1))) {
            Outcome<Boolean> set = register.cas(one, 0, key, null, "v1");
            assertEquals(Boolean.TRUE, set.value(), "the CAS through node 1 must succeed while node 3 is down: " + set);
            cluster.startWith(three, canary, cluster.nodes()); // serving: a refused CAS would be recorded as unknown
            try (MemDb stale = cluster.clientOf(three)) {
                Outcome<Boolean> swap = register.cas(stale, 1, key, "v1", "v2");
                assertTrue(swap.ok(), "the CAS through node 3 must be answered: " + swap);
            }
            register.read(one, 0, key);
        }
        return register.check(null);
    }

    @Test
    void casFalseSkippingPaxosAnswersFromAStaleReplica() throws Exception {
        assertCaught("cas-false-skips-paxos", "cas-register", CanaryIT::casThroughAStaleReplica);
    }

    // ---- forget-promise ------------------------------------------------------------------------------

    /**
     * The simulator's scenario (memdb.sim.CasSimulationTest.acceptThenRestart) on real processes. Node 3
     * is cut off from node 1, and every byte node 1 sends node 2 waits {@link #HOLD_MS} in the proxy. A CAS
     * through node 1 sets the register: nodes 1 and 2 promise and accept, the client has its true, and
     * node 1's COMMIT to node 2 is still held in the proxy when the harness cuts the link (a held chunk
     * whose link is cut is dropped), so the value was chosen but only node 1 stored it. Node 1 is killed
     * and stays down; node 2 is killed and restarted, with the canary. A serial read through node 2 then
     * prepares at nodes 2 and 3: with node 2's accepted proposal restored from its log, Paxos finishes it
     * and reads the value; with it forgotten, no acceptor of the quorum knows it and the read answers
     * "absent" after a CAS that succeeded.
     */
    private static List<Verdict> acceptThenRestart(String canary) throws Exception {
        cluster.plant(Map.of());
        CasRegisterWorkload register = new CasRegisterWorkload(prefix("paxos"), 1, 300);
        String key = prefix("paxos-key");
        ChaosCluster.Node one = cluster.node(1);
        ChaosCluster.Node two = cluster.node(2);
        ChaosCluster.Node three = cluster.node(3);
        NetworkFaults network = cluster.faults();
        network.partition(List.of(1), List.of(3), NetworkFaults.Cut.CLOSE);
        network.delay(1, 2, HOLD_MS);
        try (MemDb client = cluster.clientOf(one)) {
            Outcome<Boolean> set = register.cas(client, 0, key, null, "chosen");
            network.partition(List.of(1), List.of(2), NetworkFaults.Cut.CLOSE); // the held COMMIT is dropped
            assertEquals(Boolean.TRUE, set.value(), "the CAS through node 1 must succeed: " + set);
        }
        cluster.kill(one);
        cluster.kill(two);
        network.heal();
        cluster.startWith(two, canary, List.of(two, three));
        JsonNode replicas = new Convergence(three.server.adminAddress()).versions(key);
        assertTrue(replicas != null && replicas.toString().contains("ABSENT") && !replicas.toString().contains("PRESENT"),
                "node 1's COMMIT must not have reached node 2 (else the scenario does not set up): " + replicas);
        try (MemDb client = cluster.clientOf(two)) {
            Outcome<String> read = register.read(client, 1, key);
            for (int attempt = 1; attempt < FinalReads.ATTEMPTS && !read.ok(); attempt++) {
                Thread.sleep(500); // node 2 may still be catching up with the cluster's membership
                read = register.read(client, 1, key);
            }
            assertTrue(read.ok(), "the serial read through node 2 must be answered: " + read);
        }
        cluster.heal(); // node 1 starts again
        assertTrue(cluster.awaitAllUp(Duration.ofSeconds(60)), "the cluster did not come back within 60 s");
        return register.check(null);
    }

    @Test
    void forgetPromiseLosesAChosenValueWhenAnAcceptorRestarts() throws Exception {
        assertCaught("forget-promise", "cas-register", CanaryIT::acceptThenRestart);
    }
}
