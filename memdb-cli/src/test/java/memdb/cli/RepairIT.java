package memdb.cli;

import static memdb.cli.ClusterIT.awaitTrue;
import static memdb.cli.ClusterIT.everyNodeSees;
import static memdb.cli.ClusterIT.startNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.PeerClient;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anti-entropy end to end (issue 5 item 4): three nodes with 2,000 keys (100 of them deleted) and 20 counters;
 * one node is
 * stopped, its data directory wiped, and restarted empty; {@code memdb cluster repair} on it reports the
 * fixes, after which it holds every key's version itself (replica reads, no read repair involved) and a
 * second repair of every node finds nothing left to fix.
 */
class RepairIT {
    private static final String KEY = ClusterIT.KEY; // the key the shared ClusterIT.startNode gives the nodes
    private static final int KEYS = 2_000;
    private static final int DELETED = 100;
    /** Counters too are in anti-entropy (docs/counters.md): counter i is incremented i + 1 times. */
    private static final int COUNTERS = 20;

    @TempDir
    Path root;

    @Test
    void aNodeThatLostItsDataIsRebuiltByClusterRepair() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root);
             PeerClient probe = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(startNode(processes, i + 1, ports[i], seeds));
            awaitTrue(() -> everyNodeSees(probe, nodes, 3), "the three nodes learn each other by gossip");
            try (MemDb db = MemDbConnections.builder().authKey(KEY).seeds(List.of(seeds.split(",")))
                    .requestTimeout(Duration.ofSeconds(30)).build()) {
                for (int i = 0; i < KEYS; i++) db.set("key" + i, "value-" + i, Consistency.ALL);
                for (int i = 0; i < DELETED; i++) db.delete("key" + i, Consistency.ALL);
                for (int i = 0; i < COUNTERS; i++) {
                    for (int n = 0; n <= i; n++) db.increment("counter" + i, 1, Consistency.ALL);
                }
            }

            nodes.get(2).process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            deleteRecursively(processes.newHome("node3").resolve("db"));
            nodes.set(2, startNode(processes, 3, ports[2], seeds));
            awaitTrue(() -> everyNodeSees(probe, nodes, 3), "node 3 is back, empty");
            String node3 = nodes.get(2).address();
            assertEquals(Responses.ValueState.ABSENT, replicaState(probe, node3, "key500"), "the wipe emptied node 3");

            Map<String, String> env = new HashMap<>(MemdbProcesses.environment(root));
            env.put("MEMDB_AUTH_KEY", KEY);
            MemdbProcesses.Result repair = processes.run(env, new byte[0], "cluster", "repair", "--json",
                    "--admin", nodes.get(2).adminAddress());
            assertEquals(0, repair.exitCode(), repair.stdout() + repair.stderr());
            JsonNode report = new ObjectMapper().readTree(repair.stdout()).path("nodes").get(0).path("report");
            assertTrue(report.path("complete").asBoolean(), repair.stdout());
            assertEquals(KEYS + COUNTERS, report.path("entriesReceived").asLong(), "every version and counter came back: "
                    + repair.stdout());
            assertEquals(KEYS + COUNTERS, report.path("keysDiffering").asLong(), repair.stdout());
            assertEquals(0, report.path("entriesSent").asLong(), repair.stdout());
            assertTrue(report.path("bytesReceived").asLong() > KEYS * 10L, repair.stdout());

            for (int i = 0; i < KEYS; i++) {
                Responses.Value value = replica(probe, node3, "key" + i);
                if (i < DELETED) {
                    assertEquals(Responses.ValueState.TOMBSTONE, value.state(), "key" + i + " stays deleted on node 3");
                } else {
                    assertEquals("value-" + i, new String(value.value(), java.nio.charset.StandardCharsets.UTF_8), "key" + i);
                }
            }
            for (int i = 0; i < COUNTERS; i++) {
                var counter = (memdb.protocol.CounterMessages.State) probe.call(node3,
                        new memdb.protocol.CounterMessages.Read(Key.of("counter" + i)), 0).get(5, TimeUnit.SECONDS);
                assertEquals(i + 1, counter.value(), "counter" + i + " on node 3, by anti-entropy alone");
            }
            String metrics = httpGet(nodes.get(2).adminAddress(), "/metrics");
            assertTrue(metrics.contains("memdb_repair_entries_total{direction=\"received\"} " + (KEYS + COUNTERS)), metrics);

            MemdbProcesses.Result again = processes.run(env, new byte[0], "cluster", "repair", "--all",
                    "--admin", nodes.get(0).adminAddress());
            assertEquals(0, again.exitCode(), again.stdout() + again.stderr());
            List<String> lines = again.stdout().lines().toList();
            assertEquals(3, lines.size(), again.stdout());
            for (String line : lines) assertTrue(line.contains(": complete in ") && line.contains(" 0 keys differing"), line);
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** What a node holds itself for a key: a replica read, no coordination and so no read repair. */
    private static Responses.Value replica(PeerClient probe, String address, String key) throws Exception {
        return (Responses.Value) probe.call(address, new ClusterRequests.ReplicaRead(Key.of(key)), 0).get(5, TimeUnit.SECONDS);
    }

    private static Responses.ValueState replicaState(PeerClient probe, String address, String key) throws Exception {
        return replica(probe, address, key).state();
    }

    private static String httpGet(String adminAddress, String path) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + adminAddress + path))
                .header("Authorization", "Bearer " + KEY).build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
}
