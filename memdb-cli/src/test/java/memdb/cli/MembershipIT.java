package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * Issue 5 items 1 and 2 with real processes: three nodes hold 20,000 keys; a fourth joins (streaming its
 * ranges, throttled, its progress visible in {@code cluster status}); then node 2 is decommissioned with
 * {@code memdb cluster leave} and stops. Throughout, a reader keeps reading random keys at QUORUM and never
 * misses one; after each move, a sample of keys is held by exactly its N = 3 replicas (the admin API's
 * preference list, and a replica read on every live node).
 */
class MembershipIT {
    private static final String KEY = "membership-it-key";
    private static final int KEYS = 20_000;
    private static final int SAMPLE = 300;
    private static final Map<String, String> ENV = Map.of("MEMDB_GOSSIP_INTERVAL_MS", "100", "MEMDB_DOWN_AFTER_MS", "1000",
            "MEMDB_REQUEST_TIMEOUT_MS", "2000", "MEMDB_STREAM_BYTES_PER_SEC", "300000");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aNodeJoinsWithTheDataAndAnotherLeavesWithItWhileQuorumReadsNeverMissAKey() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root);
             PeerClient probe = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(startNode(processes, i + 1, ports[i], seeds, Map.of()));
            awaitTrue(() -> normalMembers(probe, nodes) == 3, "the three nodes learn each other", 30);

            try (MemDb db = MemDbConnections.builder().authKey(KEY).seeds(List.of((seeds + ",127.0.0.1:" + ports[3]).split(",")))
                    .requestTimeout(Duration.ofSeconds(30)).build()) {
                writeAll(db);
                Reader reader = new Reader(db);
                reader.start();

                Map<String, String> joining = new HashMap<>(ENV);
                joining.put("MEMDB_JOIN", "true"); // what memdb join sets
                nodes.add(startNode(processes, 4, ports[3], seeds, joining));
                Map<String, String> cli = cliEnvironment(processes);
                boolean[] sawProgress = {false};
                awaitTrue(() -> {
                    JsonNode node4 = nodeView(status(processes, cli, nodes.get(3)), 4);
                    if ("JOINING".equals(node4.path("status").asText()) && node4.path("progress").isNumber()) {
                        sawProgress[0] = true;
                    }
                    return normalMembers(probe, nodes) == 4;
                }, "node 4 finishes joining", 90);
                assertTrue(sawProgress[0], "cluster status showed node 4 JOINING with its progress");
                awaitTrue(() -> sampleOnExactlyItsReplicas(probe, nodes, nodes.get(0)), "every key on exactly its 3 replicas", 60);

                MemdbProcesses.Result leave = processes.run(cli, new byte[0], "cluster", "leave", "2",
                        "--admin", nodes.get(0).adminAddress());
                assertEquals(0, leave.exitCode(), leave.stderr());
                assertTrue(nodes.get(1).process().waitFor(90, TimeUnit.SECONDS), "node 2 stopped after leaving");
                List<MemdbProcesses.Server> remaining = List.of(nodes.get(0), nodes.get(2), nodes.get(3));
                awaitTrue(() -> normalMembers(probe, remaining) == 3, "the others see node 2 gone", 30);
                awaitTrue(() -> sampleOnExactlyItsReplicas(probe, remaining, nodes.get(0)), "every key on its 3 replicas", 60);

                reader.stop();
                assertTrue(reader.reads.get() > 1_000, "the reader read throughout: " + reader.reads.get());
                assertEquals(0, reader.misses.get(), "QUORUM reads that missed an acknowledged write: " + reader.firstMiss);
                assertEquals(0, reader.errors.get(), "QUORUM reads that failed 5 times: " + reader.firstError);
                System.out.printf("MembershipIT: %d QUORUM reads during the join and the leave, %d misses, %d retried%n",
                        reader.reads.get(), reader.misses.get(), reader.retries.get());
                JsonNode left = nodeView(status(processes, cli, nodes.get(0)), 2);
                assertEquals("LEFT", left.path("status").asText());
            }
        }
    }

    private static MemdbProcesses.Server startNode(MemdbProcesses processes, int nodeId, int port, String seeds,
                                                   Map<String, String> env) throws Exception {
        Path home = processes.newHome("node" + nodeId);
        Map<String, String> all = new HashMap<>(ENV);
        all.putAll(env);
        return processes.startServer(home, port, all, "--node-id", Integer.toString(nodeId),
                "--auth-key", KEY, "--data-dir", home.resolve("db").toString(), "--seeds", seeds, "--fsync", "no");
    }

    private static String value(int i) {
        return "value-" + i;
    }

    private static void writeAll(MemDb db) throws Exception {
        Semaphore window = new Semaphore(256);
        List<CompletableFuture<Void>> writes = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            window.acquire();
            writes.add(db.setAsync("key" + i, value(i), Consistency.QUORUM).whenComplete((ok, failure) -> window.release()));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    /** Reads random written keys at QUORUM until stopped; counts misses (absent or another value) and failures. */
    private static final class Reader {
        final AtomicLong reads = new AtomicLong();
        final AtomicLong misses = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        volatile String firstMiss;
        volatile String firstError;
        private final MemDb db;
        private final Thread thread;

        Reader(MemDb db) {
            this.db = db;
            this.thread = new Thread(this::run, "membership-it-reader");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        private void run() {
            SplittableRandom random = new SplittableRandom(5);
            while (running.get()) {
                int i = random.nextInt(KEYS);
                String got = null;
                RuntimeException last = null;
                // The coordinator may be the node that is leaving and closing its connections, or a client
                // that has not yet learnt the new ring: a read is idempotent, so a client asks again (up to 5
                // times, 200 ms apart, while the client's routing catches up). Only a read that never
                // succeeds counts as an error; a read that answers a wrong value is a miss.
                for (int attempt = 0; attempt < 5 && running.get(); attempt++) {
                    try {
                        got = db.get("key" + i, Consistency.QUORUM);
                        last = null;
                        break;
                    } catch (RuntimeException e) {
                        last = e;
                        retries.incrementAndGet();
                        sleepQuietly(200);
                    }
                }
                if (last != null) {
                    if (errors.incrementAndGet() == 1) firstError = "key" + i + ": " + last;
                    continue;
                }
                if (!running.get() && got == null) continue;
                reads.incrementAndGet();
                if (!value(i).equals(got) && misses.incrementAndGet() == 1) firstMiss = "key" + i + " -> " + got;
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many members every one of {@code nodes} holds NORMAL and up (-1 while they disagree or cannot answer). */
    private static int normalMembers(PeerClient probe, List<MemdbProcesses.Server> nodes) {
        Set<Long> counts = new TreeSet<>();
        for (MemdbProcesses.Server node : nodes) {
            try {
                var view = (ClusterResponses.ClusterView) probe.call(node.address(), new ClusterRequests.ClusterInfo(), 0)
                        .get(2, TimeUnit.SECONDS);
                counts.add(view.members().stream().filter(m -> m.up() && m.status() == Member.Status.NORMAL).count());
            } catch (Exception notYet) {
                return -1;
            }
        }
        return counts.size() == 1 ? counts.iterator().next().intValue() : -1;
    }

    /**
     * For a sample of keys: the admin API's replica report shows three replicas holding the value, and a
     * replica read on every live node finds it on exactly those three.
     */
    private static boolean sampleOnExactlyItsReplicas(PeerClient probe, List<MemdbProcesses.Server> nodes,
                                                      MemdbProcesses.Server admin) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < KEYS; i += KEYS / SAMPLE) {
                String key = "key" + i;
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://" + admin.adminAddress() + "/v1/keys/" + key + "?versions=true"))
                        .header("Authorization", "Bearer " + KEY).build();
                JsonNode report = JSON.readTree(http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                Set<Integer> replicas = new TreeSet<>();
                for (JsonNode replica : report.path("replicas")) {
                    if (!"PRESENT".equals(replica.path("state").asText())) return false;
                    replicas.add(replica.path("nodeId").asInt());
                }
                Set<Integer> holders = new TreeSet<>();
                for (MemdbProcesses.Server node : nodes) {
                    var value = (Responses.Value) probe.call(node.address(), new ClusterRequests.ReplicaRead(Key.of(key)), 0)
                            .get(2, TimeUnit.SECONDS);
                    if (value.isPresent()) {
                        if (!value(i).equals(new String(value.value(), StandardCharsets.UTF_8))) return false;
                        holders.add(node.port());
                    }
                }
                Set<Integer> replicaPorts = new TreeSet<>();
                for (int id : replicas) replicaPorts.add(portOf(nodes, id));
                if (replicas.size() != 3 || !holders.equals(replicaPorts)) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int portOf(List<MemdbProcesses.Server> nodes, int nodeId) {
        for (MemdbProcesses.Server node : nodes) {
            if (node.home().getFileName().toString().equals("node" + nodeId)) return node.port();
        }
        return -1;
    }

    private static Map<String, String> cliEnvironment(MemdbProcesses processes) throws Exception {
        Map<String, String> env = new HashMap<>(MemdbProcesses.environment(processes.newHome("cli")));
        env.put("MEMDB_AUTH_KEY", KEY);
        env.put("MEMDB_TIMEOUT_MS", "30000");
        return env;
    }

    private static JsonNode status(MemdbProcesses processes, Map<String, String> env, MemdbProcesses.Server node) {
        try {
            MemdbProcesses.Result status = processes.run(env, new byte[0], "cluster", "status", "--json",
                    "--admin", node.adminAddress());
            return status.exitCode() == 0 ? JSON.readTree(status.stdout()) : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode nodeView(JsonNode status, int id) {
        for (JsonNode node : status.path("nodes")) if (node.path("id").asInt() == id) return node;
        return JSON.createObjectNode();
    }

    private static void awaitTrue(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
    }
}
