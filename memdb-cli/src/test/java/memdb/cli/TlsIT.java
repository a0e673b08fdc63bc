package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.PeerClient;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.tls.ClientTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster on TLS with certificates from {@code memdb cert}: mutual TLS between the nodes, a
 * client key and a node key. Clients (the CLI and the Java client) connect over TLS with the CA; the admin
 * API is HTTPS; plaintext clients get a clear refusal; the client key cannot send node-to-node messages.
 */
class TlsIT {
    private static final String CLIENT_KEY = "tls-it-client-key";
    private static final String NODE_KEY = "tls-it-node-key";

    @TempDir
    Path root;

    @Test
    void aMutualTlsClusterWithTwoKeysServesTlsClientsAndRefusesPlaintextAndTheClientKeyWhereItMust() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            Path certs = root.resolve("certs");
            Map<String, String> plain = MemdbProcesses.environment(processes.newHome("cli"));
            MemdbProcesses.Result cert = processes.run(plain, new byte[0], "cert", certs.toString(), "--node", "node1,node2,node3");
            assertEquals(0, cert.exitCode(), cert.stderr());
            for (String file : List.of("ca.pem", "ca-key.pem", "node1.pem", "node1-key.pem", "node3-key.pem")) {
                assertTrue(Files.isRegularFile(certs.resolve(file)), file + " in " + cert.stdout());
            }

            int[] ports = {MemdbProcesses.freePort(), MemdbProcesses.freePort(), MemdbProcesses.freePort()};
            String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            List<MemdbProcesses.Server> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(startTlsNode(processes, certs, i + 1, ports[i], seeds));

            Path ca = certs.resolve("ca.pem");
            ClientTls asNode1 = ClientTls.mutual(ca, certs.resolve("node1.pem"), certs.resolve("node1-key.pem"));
            try (PeerClient probe = new PeerClient(NODE_KEY, Duration.ofSeconds(2), Duration.ofSeconds(5), asNode1)) {
                ClusterIT.awaitTrue(() -> ClusterIT.everyNodeSees(probe, nodes, 3), "the nodes gossip over mutual TLS");
            }

            Map<String, String> client = new HashMap<>(plain);
            client.put("MEMDB_SEEDS", nodes.get(0).address());
            client.put("MEMDB_AUTH_KEY", CLIENT_KEY);
            client.put("MEMDB_TIMEOUT_MS", "30000");
            client.put("MEMDB_TLS_CA", ca.toString());
            MemdbProcesses.Result set = processes.run(client, new byte[0], "set", "greeting", "hello", "--consistency", "QUORUM");
            assertEquals(0, set.exitCode(), set.stderr());
            MemdbProcesses.Result get = processes.run(client, new byte[0], "get", "greeting");
            assertEquals(0, get.exitCode(), get.stderr());
            assertEquals("hello\n", get.stdout());

            try (MemDb db = MemDbConnections.builder().authKey(CLIENT_KEY).seeds(List.of(seeds.split(","))).tls(ca)
                    .requestTimeout(Duration.ofSeconds(30)).build()) {
                db.set("java", "over tls", Consistency.ALL);
                assertEquals("hello", db.get("greeting", Consistency.QUORUM));
                assertEquals("over tls", db.get("java", Consistency.ONE));
            }

            Map<String, String> admin = new HashMap<>(client);
            admin.put("MEMDB_AUTH_KEY", NODE_KEY);
            MemdbProcesses.Result status = processes.run(admin, new byte[0], "cluster", "status", "--json", "--admin",
                    nodes.get(1).adminAddress());
            assertEquals(0, status.exitCode(), status.stderr());
            JsonNode view = new ObjectMapper().readTree(status.stdout());
            assertEquals(3, view.path("nodes").size(), status.stdout());
            for (JsonNode node : view.path("nodes")) assertEquals("UP", node.path("state").asText(), status.stdout());
            MemdbProcesses.Result clientKeyAtAdmin = processes.run(client, new byte[0], "cluster", "status", "--admin",
                    nodes.get(1).adminAddress());
            assertEquals(ExitCode.AUTH_REFUSED, clientKeyAtAdmin.exitCode(), "the admin API takes the node key: " + clientKeyAtAdmin.stderr());

            Map<String, String> plaintext = new HashMap<>(client);
            plaintext.remove("MEMDB_TLS_CA");
            long start = System.nanoTime();
            MemdbProcesses.Result refused = processes.run(plaintext, new byte[0], "get", "greeting");
            assertEquals(ExitCode.AUTH_REFUSED, refused.exitCode(), refused.stderr());
            assertTrue(refused.stderr().contains("TLS"), refused.stderr());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "refused at once, not after a time-out");
            Map<String, String> plaintextAdmin = new HashMap<>(admin);
            plaintextAdmin.remove("MEMDB_TLS_CA");
            MemdbProcesses.Result plainStatus = processes.run(plaintextAdmin, new byte[0], "cluster", "status", "--admin",
                    nodes.get(1).adminAddress());
            assertNotEquals(0, plainStatus.exitCode());
            assertTrue(plainStatus.stderr().contains("HTTPS") || plainStatus.stderr().contains("TLS"), plainStatus.stderr());
            for (MemdbProcesses.Result r : List.of(set, get, status, clientKeyAtAdmin, refused, plainStatus)) {
                assertTrue(!r.stderr().contains(CLIENT_KEY) && !r.stderr().contains(NODE_KEY), "no key in: " + r.stderr());
            }

            try (PeerClient asClient = new PeerClient(CLIENT_KEY, Duration.ofSeconds(2), Duration.ofSeconds(10), ClientTls.trusting(ca))) {
                MemDbException forbidden = failure(asClient, nodes.get(0).address(),
                        new ClusterRequests.ReplicaWrite(Key.of("greeting"), true, new Timestamp(1L << 50, 3), new byte[0]));
                assertEquals(ErrorCode.FORBIDDEN, forbidden.code());
                assertInstanceOf(Responses.Value.class, asClient.call(nodes.get(0).address(),
                        new Requests.Get(Key.of("greeting"), Consistency.DEFAULT), 0).get(10, TimeUnit.SECONDS));
            }
            try (PeerClient nodeKeyWithoutCertificate = new PeerClient(NODE_KEY, Duration.ofSeconds(2), Duration.ofSeconds(10),
                    ClientTls.trusting(ca))) {
                MemDbException failed = failure(nodeKeyWithoutCertificate, nodes.get(0).address(), new ClusterRequests.ClusterInfo());
                assertEquals(ErrorCode.AUTH_FAILED, failed.code(), "mutual TLS: the node key needs a node certificate");
            }
            for (MemdbProcesses.Server node : nodes) {
                assertTrue(!node.stderr().toString().contains(CLIENT_KEY) && !node.stderr().toString().contains(NODE_KEY),
                        "no key in the node's log");
            }
        }
    }

    private static MemDbException failure(PeerClient client, String address, memdb.protocol.Request request) throws Exception {
        try {
            Object answer = client.call(address, request, 0).get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + answer);
        } catch (ExecutionException e) {
            return assertInstanceOf(MemDbException.class, e.getCause());
        }
    }

    private static MemdbProcesses.Server startTlsNode(MemdbProcesses processes, Path certs, int nodeId, int port, String seeds)
            throws Exception {
        Path home = processes.newHome("node" + nodeId);
        Map<String, String> env = new HashMap<>(ClusterIT.FAST_GOSSIP);
        env.put("MEMDB_TLS_CERT", certs.resolve("node" + nodeId + ".pem").toString());
        env.put("MEMDB_TLS_KEY", certs.resolve("node" + nodeId + "-key.pem").toString());
        env.put("MEMDB_TLS_CA", certs.resolve("ca.pem").toString());
        env.put("MEMDB_TLS_PEER_MUTUAL", "true");
        env.put("MEMDB_CLIENT_KEY", CLIENT_KEY);
        env.put("MEMDB_NODE_KEY", NODE_KEY);
        return processes.startServer(home, port, env, "--node-id", Integer.toString(nodeId),
                "--data-dir", home.resolve("db").toString(), "--seeds", seeds, "--fsync", "no");
    }
}
