package memdb.cli;

import static memdb.cli.ClusterIT.awaitTrue;
import static memdb.cli.ClusterIT.everyNodeSees;
import static memdb.cli.ClusterIT.replicaValue;
import static memdb.cli.ClusterIT.startNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.PeerClient;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up with real processes (issue 5, item 3): three nodes, N = 3, 5,000 keys; node 3 is killed
 * with SIGKILL, 1,000 more keys are written at QUORUM, node 3 restarts on its data directory. Hinted
 * handoff replays to it what it missed: its {@code memdb_catchup_records_received_total} is about 1,000
 * (not 6,000), and it then holds every key, seen through its own replica reads (no coordination, so
 * no read repair).
 */
class CatchUpIT {
    private static final String KEY = ClusterIT.KEY; // the key startNode gives the servers
    private static final int KEYS_BEFORE = 5_000;
    private static final int KEYS_MISSED = 1_000;
    /** Writes in flight when node 3 died may be hinted too; each is at most one extra record. */
    private static final int IN_FLIGHT_SLACK = 100;
    /** Generous: eight builds may share this machine's two cores. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** A failure detector slow enough not to flap on such a machine (gossip answers can take a second). */
    private static final java.util.Map<String, String> STEADY_GOSSIP = java.util.Map.of("MEMDB_GOSSIP_INTERVAL_MS", "200",
            "MEMDB_DOWN_AFTER_MS", "5000");

    @TempDir
    Path root;

    @Test
    void aKilledNodeReceivesAboutTheThousandWritesItMissedAndThenHoldsEveryKey() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root);
             PeerClient probe = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(startNode(processes, i + 1, ports[i], seeds, STEADY_GOSSIP));
            awaitTrue(() -> everyNodeSees(probe, nodes, 3), "the three nodes learn each other by gossip", PATIENCE);

            try (MemDb db = MemDbConnections.builder().authKey(KEY).seeds(List.of(seeds.split(",")))
                    .requestTimeout(Duration.ofSeconds(30)).build()) {
                writeAll(db, "before-", KEYS_BEFORE);
                String node3 = nodes.get(2).address();
                awaitTrue(() -> keysOn(probe, node3) == KEYS_BEFORE, "node 3 holds the first 5,000 keys", PATIENCE);

                nodes.get(2).process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                awaitTrue(() -> everyNodeSees(probe, nodes.subList(0, 2), 2), "the others hold node 3 down", PATIENCE);
                writeAll(db, "missed-", KEYS_MISSED);

                nodes.set(2, startNode(processes, 3, ports[2], seeds, STEADY_GOSSIP));
                awaitTrue(() -> everyNodeSees(probe, nodes, 3), "node 3 is back up everywhere", PATIENCE);
                awaitTrue(() -> metric(nodes.get(0), "memdb_hints_pending") + metric(nodes.get(1), "memdb_hints_pending") == 0,
                        "nodes 1 and 2 replayed every hint they held for node 3", PATIENCE);

                double received = metric(nodes.get(2), "memdb_catchup_records_received_total");
                assertTrue(received >= KEYS_MISSED && received <= KEYS_MISSED + IN_FLIGHT_SLACK,
                        "node 3 received about the writes it missed, not all " + (KEYS_BEFORE + KEYS_MISSED) + ": " + received);
                double replayed = metric(nodes.get(0), "memdb_hints_replayed_total") + metric(nodes.get(1), "memdb_hints_replayed_total");
                System.out.println("catch-up: node 3 missed " + KEYS_MISSED + " writes, received " + received
                        + " records in catch-up; nodes 1 and 2 replayed " + replayed + " hints");
                assertEquals(received, replayed, "what the coordinators replayed is what node 3 received");
                assertEquals(KEYS_BEFORE + KEYS_MISSED, keysOn(probe, node3), "node 3 holds every key");
                for (int i = 0; i < KEYS_MISSED; i++) {
                    assertEquals("v-missed-" + i, replicaValue(probe, node3, "missed-" + i), "node 3's own copy of missed-" + i);
                }
            }
        }
    }

    /** Writes {@code count} keys at QUORUM, a few hundred in flight at a time. */
    private static void writeAll(MemDb db, String prefix, int count) {
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            window.add(db.setAsync(prefix + i, "v-" + prefix + i, Consistency.QUORUM));
            if (window.size() == 200 || i == count - 1) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                window.clear();
            }
        }
    }

    /** The live keys a node holds itself (NODE_STATS), or -1 when it does not answer. */
    private static long keysOn(PeerClient probe, String address) {
        try {
            var stats = (ClusterResponses.Stats) probe.call(address, new ClusterRequests.NodeStats(), 0).get(5, TimeUnit.SECONDS);
            return stats.keys();
        } catch (Exception notYet) {
            return -1;
        }
    }

    /** One unlabelled sample of a node's GET /metrics. */
    private static double metric(MemdbProcesses.Server node, String name) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + node.adminAddress() + "/metrics"))
                    .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(10)).build();
            String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                    line.substring(name.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError(name + " missing:\n" + body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
