package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.PeerClient;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes on loopback (issue 4): they find each other from seeds; QUORUM writes keep
 * succeeding with one node killed and a QUORUM read then sees the latest value; when the node returns,
 * a QUORUM read repairs its stale copy (seen through the node's own replica read). Hinted handoff is
 * off here, so that only read repair can have brought the node up to date ({@link CatchUpIT} shows hints).
 */
class ClusterIT {
    static final String KEY = "cluster-it-key";
    static final Map<String, String> FAST_GOSSIP = Map.of("MEMDB_GOSSIP_INTERVAL_MS", "100", "MEMDB_DOWN_AFTER_MS", "1000");
    /** Hinted handoff off: here read repair alone must bring the returning node up to date (CatchUpIT shows hints). */
    private static final Map<String, String> WITHOUT_HINTS = Map.of("MEMDB_GOSSIP_INTERVAL_MS", "100",
            "MEMDB_DOWN_AFTER_MS", "1000", "MEMDB_MAX_HINTS_PER_PEER", "0");

    @TempDir
    Path root;

    @Test
    void quorumWritesSurviveAKilledNodeAndAQuorumReadRepairsItWhenItReturns() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root);
             PeerClient probe = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(startNode(processes, i + 1, ports[i], seeds, WITHOUT_HINTS));
            awaitTrue(() -> everyNodeSees(probe, nodes, 3), "the three nodes learn each other by gossip");

            try (MemDb db = MemDbConnections.builder().authKey(KEY).seeds(List.of(seeds.split(",")))
                    .requestTimeout(Duration.ofSeconds(30)).build()) {
                for (int i = 0; i < 100; i++) db.set("key" + i, "v1-" + i, Consistency.QUORUM);

                nodes.get(2).process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                List<MemdbProcesses.Server> alive = nodes.subList(0, 2);
                awaitTrue(() -> everyNodeSees(probe, alive, 2), "the others hold node 3 down");
                for (int i = 0; i < 100; i++) db.set("key" + i, "v2-" + i, Consistency.QUORUM);
                for (int i = 0; i < 100; i++) assertEquals("v2-" + i, db.get("key" + i, Consistency.QUORUM));
                Map<String, String> env = new java.util.HashMap<>(MemdbProcesses.environment(root));
                env.put("MEMDB_AUTH_KEY", KEY);
                env.put("MEMDB_TIMEOUT_MS", "30000");
                MemdbProcesses.Result status = processes.run(env, new byte[0],
                        "cluster", "status", "--json", "--admin", nodes.get(0).adminAddress());
                assertEquals(0, status.exitCode(), status.stderr());
                com.fasterxml.jackson.databind.JsonNode view = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.stdout());
                for (com.fasterxml.jackson.databind.JsonNode node : view.path("nodes")) {
                    boolean down = node.path("id").asInt() == 3;
                    assertEquals(down ? "DOWN" : "UP", node.path("state").asText(), status.stdout());
                    if (!down) assertEquals(100, node.path("keys").asLong(), "each live node reports its own key count");
                }
                Map<String, String> clientEnv = new java.util.HashMap<>(env);
                clientEnv.put("MEMDB_SEEDS", nodes.get(0).address());
                MemdbProcesses.Result quorumGet = processes.run(clientEnv, new byte[0], "get", "key5", "--quorum", "2");
                assertEquals(0, quorumGet.exitCode(), quorumGet.stderr());
                assertEquals("v2-5\n", quorumGet.stdout(), "the two live replicas agree on the newest value");
                MemdbProcesses.Result table = processes.run(env, new byte[0], "cluster", "status", "-o", "table", "--admin", nodes.get(0).adminAddress());
                assertTrue(table.stdout().lines().anyMatch(line -> line.startsWith("DN") && line.contains(" 3 ")), table.stdout());

                nodes.set(2, startNode(processes, 3, ports[2], seeds, WITHOUT_HINTS));
                awaitTrue(() -> everyNodeSees(probe, nodes, 3), "node 3 is back up everywhere");
                String node3 = nodes.get(2).address();
                assertEquals("v1-7", replicaValue(probe, node3, "key7"), "node 3 missed the second round");
                assertEquals("v2-7", db.get("key7", Consistency.ALL));
                awaitTrue(() -> "v2-7".equals(replicaValue(probe, node3, "key7")), "read repair brought node 3 up to date");
                awaitTrue(() -> sameVersionEverywhere(nodes.get(0), "key7"), "the admin API shows one version on all replicas");

                MemdbProcesses.Result kill = processes.run(env, new byte[0], "cluster", "kill", "2", "--admin", nodes.get(0).adminAddress());
                assertEquals(0, kill.exitCode(), kill.stderr());
                assertTrue(nodes.get(1).process().waitFor(10, TimeUnit.SECONDS), "cluster kill stopped node 2");
                assertKillOfADownNodeSaysSo(processes, env, nodes.get(0), nodes.get(1));
            }
        }
    }

    /**
     * Killing node 2 again, now that it is down: asked through a running node, or at node 2's own admin address,
     * the answer says node 2 is not running (exit 3, as for any unreachable node), not "connection refused"
     * (found by the session-8 walk).
     */
    private static void assertKillOfADownNodeSaysSo(MemdbProcesses processes, Map<String, String> env, MemdbProcesses.Server live,
                                                    MemdbProcesses.Server down) throws Exception {
        MemdbProcesses.Result through = processes.run(env, new byte[0], "cluster", "kill", "2", "--admin", live.adminAddress());
        assertEquals(3, through.exitCode(), through.stderr());
        assertTrue(through.stderr().startsWith("memdb: node 2 is not running or cannot be reached at " + down.address() + " (")
                && through.stderr().endsWith("), so there is nothing to kill\n"), through.stderr());
        MemdbProcesses.Result at = processes.run(env, new byte[0], "cluster", "kill", "2", "--admin", down.adminAddress());
        assertEquals(3, at.exitCode(), at.stderr());
        assertEquals("memdb: no MemDB admin API reachable at http://" + down.adminAddress() + ": connection refused; if that is node"
                + " 2's, node 2 is not running, so there is nothing to kill\n", at.stderr());
    }

    static MemdbProcesses.Server startNode(MemdbProcesses processes, int nodeId, int port, String seeds)
            throws Exception {
        return startNode(processes, nodeId, port, seeds, FAST_GOSSIP);
    }

    static MemdbProcesses.Server startNode(MemdbProcesses processes, int nodeId, int port, String seeds,
                                           Map<String, String> env) throws Exception {
        Path home = processes.newHome("node" + nodeId);
        return processes.startServer(home, port, env, "--node-id", Integer.toString(nodeId),
                "--auth-key", KEY, "--data-dir", home.resolve("db").toString(), "--seeds", seeds, "--fsync", "no");
    }

    /** Whether each of {@code nodes} holds exactly {@code upCount} members up. */
    static boolean everyNodeSees(PeerClient probe, List<MemdbProcesses.Server> nodes, int upCount) {
        for (MemdbProcesses.Server node : nodes) {
            try {
                var view = (ClusterResponses.ClusterView) probe.call(node.address(), new ClusterRequests.ClusterInfo(), 0)
                        .get(2, TimeUnit.SECONDS);
                if (view.members().stream().filter(Member::up).count() != upCount) return false;
            } catch (Exception notYet) {
                return false;
            }
        }
        return true;
    }

    /** The value a node holds itself for a key (a replica read, no coordination), or null. */
    static String replicaValue(PeerClient probe, String address, String key) {
        try {
            var value = (Responses.Value) probe.call(address, new ClusterRequests.ReplicaRead(Key.of(key)), 0)
                    .get(2, TimeUnit.SECONDS);
            return value.isPresent() ? new String(value.value(), java.nio.charset.StandardCharsets.UTF_8) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** GET /v1/keys/{key}?versions=true: every replica answered with the same timestamp. */
    private static boolean sameVersionEverywhere(MemdbProcesses.Server admin, String key) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + admin.adminAddress() + "/v1/keys/" + key + "?versions=true"))
                    .header("Authorization", "Bearer " + KEY).build();
            var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            var replicas = body.path("replicas");
            if (replicas.size() != 3) return false;
            String first = replicas.get(0).path("timestamp").toString();
            for (var replica : replicas) {
                if (!"PRESENT".equals(replica.path("state").asText()) || !first.equals(replica.path("timestamp").toString())) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, what, Duration.ofSeconds(20));
    }

    static void awaitTrue(BooleanSupplier condition, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
    }
}
