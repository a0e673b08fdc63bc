package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import memdb.client.PeerClient;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code advertise-address}: the address peers and clients are told instead of bind:port flows through
 * CLUSTER_INFO, gossip and the durable cluster log; and a node bound to one address starts its peer
 * connections from it (what lets a per-node proxy tell its callers apart).
 */
class AdvertiseAddressTest {
    static final String KEY = "advertise-test-key";

    @TempDir
    Path dir;

    private static Node start(Path dataDir, Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>(Map.of("port", "0", "admin-port", "0", "auth-key", KEY,
                "data-dir", dataDir.toString(), "gossip-interval-ms", "50", "down-after-ms", "2000"));
        flags.putAll(extra);
        return Node.start(new ConfigResolver(null, dataDir.toString()).resolve(flags, Map.of(), null));
    }

    private static Member member(PeerClient probe, Node at, int nodeId) throws Exception {
        var view = (ClusterResponses.ClusterView) probe.call("127.0.0.1:" + at.port(), new ClusterRequests.ClusterInfo(), 0)
                .get(10, TimeUnit.SECONDS);
        return view.members().stream().filter(m -> m.nodeId() == nodeId).findFirst().orElse(null);
    }

    @Test
    void theAddressIsParsedShownAndRefusedWhenBad() {
        ConfigResolver resolver = new ConfigResolver(null, "/home/ann");
        ServerConfig plain = resolver.resolve(Map.of(), Map.of(), null);
        assertNull(plain.network().advertiseAddress());
        assertEquals("127.0.0.1", plain.network().advertisedHost());
        assertEquals(10000, plain.network().advertisedPort());
        assertEquals("(bind:port)", ConfigValues.shown(plain, ConfigKey.ADVERTISE_ADDRESS));
        ServerConfig set = resolver.resolve(Map.of(), Map.of("MEMDB_ADVERTISE_ADDRESS", "db1.example:7000"), null);
        assertEquals(new HostPort("db1.example", 7000), set.network().advertiseAddress());
        assertEquals("db1.example:7000", ConfigValues.raw(set, ConfigKey.ADVERTISE_ADDRESS));
        ConfigException bad = assertThrows(ConfigException.class,
                () -> resolver.resolve(Map.of("advertise-address", "nocolon"), Map.of(), null));
        assertTrue(bad.getMessage().contains("advertise-address"), bad.getMessage());
    }

    @Test
    void onlyASpecificBindAddressIsUsedForOutgoingConnections() {
        assertNull(new NetworkConfig("0.0.0.0", 1, 2, List.of()).outgoingHost());
        assertNull(new NetworkConfig("::", 1, 2, List.of()).outgoingHost());
        assertEquals("127.0.0.7", new NetworkConfig("127.0.0.7", 1, 2, List.of()).outgoingHost());
    }

    @Test
    void peersAndClientsLearnTheAdvertisedAddressAndTheClusterLogKeepsIt() throws Exception {
        int firstPort = freePort();
        String secondPort = String.valueOf(freePort());
        String advertised = "localhost:" + firstPort;
        Node first = start(dir.resolve("n1"), Map.of("node-id", "1", "port", String.valueOf(firstPort), "advertise-address", advertised));
        Node second = start(dir.resolve("n2"), Map.of("node-id", "2", "port", secondPort, "seeds", "127.0.0.1:" + firstPort));
        try (PeerClient probe = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            assertEquals(advertised, member(probe, first, 1).address());
            Member learned = awaitMember(probe, second, 1);
            assertEquals(advertised, learned.address(), "gossip carries the advertised address");
            second.close();
            second = start(dir.resolve("n2"), Map.of("node-id", "2", "port", secondPort));
            assertEquals(advertised, member(probe, second, 1).address(), "the cluster log restores it");
        } finally {
            first.close();
            second.close();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Member awaitMember(PeerClient probe, Node at, int nodeId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Member m = member(probe, at, nodeId);
            if (m != null) return m;
            Thread.sleep(50);
        }
        throw new AssertionError("node " + nodeId + " never appeared in the view of node " + at.config().nodeId());
    }

    @Test
    void aNodeBoundToOneAddressConnectsToItsPeersFromIt() throws Exception {
        InetAddress peerAddress = InetAddress.getByName("127.0.0.23");
        try (ServerSocket fakePeer = new ServerSocket(0, 5, peerAddress)) {
            fakePeer.setSoTimeout(20_000);
            Node node = start(dir.resolve("n"), Map.of("bind", "127.0.0.21",
                    "seeds", "127.0.0.23:" + fakePeer.getLocalPort()));
            try (Socket fromNode = fakePeer.accept()) {
                assertEquals(InetAddress.getByName("127.0.0.21"), ((InetSocketAddress) fromNode.getRemoteSocketAddress()).getAddress());
            } finally {
                node.close();
            }
        }
    }
}
