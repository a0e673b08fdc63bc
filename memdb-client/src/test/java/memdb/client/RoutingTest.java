package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import memdb.protocol.AuthenticationException;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Opcode;
import memdb.protocol.Requests;
import memdb.protocol.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A cluster client against fake nodes sharing one view: which node gets which request, and when the view changes. */
class RoutingTest {
    private static final int KEYS = 40;
    private static final Duration NO_PERIODIC_REFRESH = Duration.ofMinutes(10);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close(); // clients before nodes
    }

    private FakeCluster cluster(int size, int replicationFactor) {
        FakeCluster cluster = new FakeCluster(size, replicationFactor, 16);
        resources.add(cluster);
        return cluster;
    }

    private MemDb client(MemDbConnections.Builder builder) {
        MemDb db = builder.build();
        resources.add(db);
        return db;
    }

    /** The id of the one node that received a SET of {@code key}. */
    private static int coordinatorOf(FakeCluster cluster, String key) {
        List<Integer> receivers = cluster.nodes().stream().filter(n -> n.keysOf(Opcode.SET).contains(key))
                .map(n -> n.nodeId).toList();
        assertEquals(1, receivers.size(), key + " was sent to " + receivers);
        return receivers.get(0);
    }

    @Test
    void eachKeyGoesToTheFirstReplicaOfItsPreferenceList() {
        FakeCluster cluster = cluster(5, 3);
        MemDb db = client(cluster.client().clusterRefreshInterval(NO_PERIODIC_REFRESH));
        for (int i = 0; i < KEYS; i++) db.set("key-" + i, "v" + i);
        for (int i = 0; i < KEYS; i++) {
            assertEquals(cluster.preferenceList("key-" + i).get(0), coordinatorOf(cluster, "key-" + i), "key-" + i);
        }
        long nodesUsed = cluster.nodes().stream().filter(n -> !n.keysOf(Opcode.SET).isEmpty()).count();
        assertEquals(5, nodesUsed, "the keys spread over every node");
        assertEquals(1, cluster.nodes().stream().mapToInt(n -> n.clusterInfoReceived.get()).sum(), "learned once");
    }

    @Test
    void consistencyTravelsWithEachRequest() {
        FakeCluster cluster = cluster(3, 3);
        MemDb db = client(cluster.client());
        db.set("k", "v", Consistency.ALL);
        db.get("k", Consistency.QUORUM);
        FakeNode coordinator = cluster.node(cluster.preferenceList("k").get(0));
        List<Object> requests = coordinator.dataRequests().stream().map(e -> (Object) e.message()).toList();
        assertEquals(Consistency.ALL, ((Requests.Set) requests.get(0)).consistency());
        assertEquals(Consistency.QUORUM, ((Requests.Get) requests.get(1)).consistency());
    }

    @Test
    void nodesTheViewCallsDownAreAvoided() {
        FakeCluster cluster = cluster(4, 2);
        cluster.markDown(2);
        MemDb db = client(cluster.client().clusterRefreshInterval(NO_PERIODIC_REFRESH));
        for (int i = 0; i < KEYS; i++) db.set("key-" + i, "v");
        assertEquals(List.of(), cluster.node(2).keysOf(Opcode.SET));
        for (int i = 0; i < KEYS; i++) {
            List<Integer> replicas = cluster.preferenceList("key-" + i);
            int expected = replicas.get(0) == 2 ? replicas.get(1) : replicas.get(0);
            assertEquals(expected, coordinatorOf(cluster, "key-" + i), "key-" + i);
        }
    }

    @Test
    void aNodeThatRefusesConnectionsIsRoutedAroundAndTriggersARefresh() {
        FakeCluster cluster = cluster(3, 2);
        cluster.addUnreachableMember(9);
        MemDb db = client(cluster.client().clusterRefreshInterval(NO_PERIODIC_REFRESH));
        List<String> ownedByTheDeadNode = new ArrayList<>();
        for (int i = 0; ownedByTheDeadNode.size() < 5; i++) {
            if (cluster.preferenceList("key-" + i).get(0) == 9) ownedByTheDeadNode.add("key-" + i);
        }
        for (String key : ownedByTheDeadNode) {
            db.set(key, "v");
            assertEquals(cluster.preferenceList(key).get(1), coordinatorOf(cluster, key), key);
        }
        Eventually.holds("a refresh after the refused connection",
                () -> cluster.nodes().stream().mapToInt(n -> n.clusterInfoReceived.get()).sum() >= 2);
    }

    @Test
    void aKilledNodeThatTheViewStillCallsUpIsRoutedAround() {
        FakeCluster cluster = cluster(3, 2);
        MemDb db = client(cluster.client().clusterRefreshInterval(NO_PERIODIC_REFRESH));
        String key = firstKeyOwnedBy(cluster, 3);
        db.set(key, "before the kill");
        int infoBefore = cluster.nodes().stream().mapToInt(n -> n.clusterInfoReceived.get()).sum();
        cluster.node(3).close(); // the ring stays; the view has not noticed yet
        FakeNode next = cluster.node(cluster.preferenceList(key).get(1));
        Eventually.holds("the write reaches the next replica", () -> {
            try {
                db.set(key, "after the kill");
            } catch (UnavailableException lostWithTheConnection) {
                return false; // a write that was on the wire when the node died is not resent
            }
            return next.keysOf(Opcode.SET).contains(key);
        });
        assertTrue(cluster.nodes().stream().mapToInt(n -> n.clusterInfoReceived.get()).sum() > infoBefore,
                "losing the node triggered a refresh");
    }

    @Test
    void aNodeAddedToTheViewIsPickedUpByThePeriodicRefresh() {
        FakeCluster cluster = cluster(2, 1);
        MemDb db = client(cluster.client().clusterRefreshInterval(Duration.ofMillis(50)));
        db.set("warm-up", "learns the two-node ring");
        FakeNode newcomer = cluster.join(new FakeNode(FakeCluster.AUTH_KEY, 3));
        String key = firstKeyOwnedBy(cluster, 3);
        Eventually.holds("the new node coordinates its key", () -> {
            db.set(key, "v");
            return newcomer.keysOf(Opcode.SET).contains(key);
        });
    }

    @Test
    void aNodeTheRefreshedViewCallsDownIsAvoidedFromThenOn() {
        FakeCluster cluster = cluster(3, 3);
        MemDb db = client(cluster.client().clusterRefreshInterval(Duration.ofMillis(50)));
        String key = firstKeyOwnedBy(cluster, 1);
        db.set(key, "before");
        assertEquals(List.of(key), cluster.node(1).keysOf(Opcode.SET));
        int infoBefore = cluster.nodes().stream().mapToInt(n -> n.clusterInfoReceived.get()).sum();
        cluster.markDown(1);
        Eventually.holds("two more refreshes", () ->
                cluster.nodes().stream().mapToInt(n -> n.clusterInfoReceived.get()).sum() >= infoBefore + 2);
        db.set(key, "after");
        assertEquals(List.of(key), cluster.node(1).keysOf(Opcode.SET), "node 1 got no second write");
        assertEquals(List.of(key), cluster.node(cluster.preferenceList(key).get(1)).keysOf(Opcode.SET));
    }

    @Test
    void aClusterThatCouldNotBeLearnedIsAskedAgainByTheNextRequest() {
        FakeCluster cluster = cluster(2, 2);
        cluster.nodes().forEach(n -> n.clusterInfoError = ErrorCode.UNAVAILABLE);
        MemDb db = client(cluster.client());
        UnavailableException failure = assertThrows(UnavailableException.class, () -> db.get("k"));
        assertTrue(failure.getMessage().startsWith("cannot learn the MemDB cluster: no seed answered (injected UNAVAILABLE;"),
                failure.getMessage());
        cluster.nodes().forEach(n -> n.clusterInfoError = null);
        db.set("k", "v");
        assertEquals("v", db.get("k"));
    }

    @Test
    void quorumGetAsksExactlyTheReplicasOfTheKey() {
        FakeCluster cluster = cluster(5, 3);
        MemDb db = client(cluster.client());
        for (int i = 0; i < 10; i++) {
            String key = "key-" + i;
            QuorumResponse<String> response = db.quorumGet(key);
            assertEquals(3, response.replicaCount());
            assertEquals(3, response.awaitAll(5, TimeUnit.SECONDS).orElseThrow().responses().size());
            List<Integer> asked = cluster.nodes().stream().filter(n -> n.keysOf(Opcode.GET).contains(key))
                    .map(n -> n.nodeId).sorted().toList();
            assertEquals(cluster.preferenceList(key).stream().sorted().toList(), asked, key);
        }
        for (FakeNode node : cluster.nodes()) {
            node.dataRequests().forEach(e -> assertEquals(Consistency.ONE, ((Requests.Get) e.message()).consistency()));
        }
    }

    @Test
    void aReplicationFactorAboveTheClusterSizeIsCapped() {
        FakeCluster cluster = cluster(2, 3);
        MemDb db = client(cluster.client());
        assertEquals(2, db.quorumGet("k").replicaCount());
    }

    @Test
    void withEverySeedDownRequestsAreUnavailableInOneSentence() {
        int first = Eventually.unusedPort();
        int second = Eventually.unusedPort();
        MemDb db = client(MemDbConnections.builder().authKey("secret").seeds(
                List.of("127.0.0.1:" + first, "127.0.0.1:" + second)));
        UnavailableException failure = assertThrows(UnavailableException.class, () -> db.get("k"));
        assertEquals("cannot learn the MemDB cluster: no seed answered (no MemDB node reachable at 127.0.0.1:" + first
                + ": connection refused; no MemDB node reachable at 127.0.0.1:" + second + ": connection refused)",
                failure.getMessage());
        assertThrows(UnavailableException.class, () -> db.quorumGet("k"));
    }

    @Test
    void theFirstSeedThatAnswersWins() {
        FakeCluster cluster = cluster(2, 2);
        MemDb db = client(MemDbConnections.builder().authKey("secret")
                .seeds(List.of("127.0.0.1:" + Eventually.unusedPort(), cluster.node(2).seed(), cluster.node(1).seed())));
        db.set("k", "v");
        assertEquals(1, cluster.node(2).clusterInfoReceived.get());
        assertEquals(0, cluster.node(1).clusterInfoReceived.get());
    }

    @Test
    void aWrongAuthKeyIsAnAuthenticationFailureNotUnavailability() {
        FakeCluster cluster = cluster(2, 2);
        MemDb db = client(MemDbConnections.builder().authKey("wrong").seeds(cluster.seeds()));
        assertInstanceOf(AuthenticationException.class, assertThrows(AuthenticationException.class, () -> db.get("k")));
        assertEquals(0, cluster.node(2).connectionsAccepted.get(), "every node shares the key: no point asking the next");
    }

    @Test
    void aSingleNodeClientNeverAsksForTheRing() {
        FakeCluster cluster = cluster(3, 3);
        FakeNode only = cluster.node(2);
        MemDb db = client(MemDbConnections.builder().authKey("secret").node("127.0.0.1", only.port()));
        for (int i = 0; i < 10; i++) db.set("key-" + i, "v");
        assertEquals(10, only.keysOf(Opcode.SET).size());
        assertEquals(1, db.quorumGet("k").replicaCount());
        assertEquals(0, only.clusterInfoReceived.get());
    }

    private static String firstKeyOwnedBy(FakeCluster cluster, int nodeId) {
        for (int i = 0; ; i++) if (cluster.preferenceList("key-" + i).get(0) == nodeId) return "key-" + i;
    }
}
