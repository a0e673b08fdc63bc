package memdb.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import memdb.clock.LamportClock;
import memdb.cluster.Membership;
import memdb.oplog.OpLog;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Responses.Value;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;

/**
 * The coordinator tells hinted handoff, once per replica, of every replica that did not take a write; a read
 * asks only the replicas it needs and keeps the others in reserve for a failure or a slow answer.
 */
class CoordinatorTest {
    private static final long TIMEOUT_MS = 500;

    private final List<String> missed = new ArrayList<>();
    private final List<Response> replies = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final Membership membership = new Membership(member(1), 10_000, 8, new SplittableRandom(1), 0);
    private final Coordinator coordinator = new Coordinator(new LamportClock(1, 0), membership,
            new Replica(new Store(), OpLog.none()),
            new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE, TIMEOUT_MS, 1 << 20),
            (replica, key, version) -> missed.add(replica + ":" + key + "@" + version.timestamp().lamport()));
    private final Outbox out = new Outbox() {
        public void reply(Object replyTo, Response response) { replies.add(response); }

        public void send(int nodeId, long correlationId, Request request) { sent.add(new Sent(nodeId, correlationId, request)); }

        public void sendToAddress(String address, long correlationId, Request request) { throw new AssertionError(); }
    };

    private static Member member(int id) {
        return new Member(id, "node" + id, 7000 + id, 1, 1, Member.Status.NORMAL, true);
    }

    private record Sent(int node, long correlation, Request request) {}

    private long correlationFor(int node) {
        return sent.stream().filter(s -> s.node() == node).findFirst().orElseThrow().correlation();
    }

    /** The nodes sent a replica read, in order. */
    private List<Integer> readsSent() {
        return sent.stream().filter(s -> s.request() instanceof ClusterRequests.ReplicaRead).map(Sent::node).toList();
    }

    private static Value value(long lamport, int nodeId) {
        return Value.present(new Timestamp(lamport, nodeId), new byte[] {(byte) lamport});
    }

    /** Nodes 2 and 3 join this node 1, and a client reads "k" at QUORUM at time 0: one replica is asked, one kept in reserve. */
    private void startQuorumReadWithTwoPeers() {
        membership.merge(List.of(member(2), member(3)), 0);
        coordinator.read("client", Key.of("k"), false, Consistency.QUORUM, 0, out);
    }

    @Test
    void aQuorumReadAsksOneOtherReplicaAndIsDoneWhenItAnswers() {
        startQuorumReadWithTwoPeers();
        assertEquals(1, readsSent().size(), "this node answers itself; one more answer makes a quorum of 3");
        int asked = readsSent().get(0);
        coordinator.onPeerResponse(asked, correlationFor(asked), Value.ABSENT, 1, out);
        assertEquals(List.of(Value.ABSENT), replies);
        assertEquals(0, coordinator.pendingOperations(), "nothing more is awaited");
        coordinator.tick(TIMEOUT_MS, out);
        assertEquals(1, readsSent().size(), "the reserve is never asked");
        assertEquals(1, replies.size());
    }

    @Test
    void aReplicaThatFailsIsReplacedByTheReserveAtOnce() {
        startQuorumReadWithTwoPeers();
        int first = readsSent().get(0);
        coordinator.onPeerFailure(first, correlationFor(first), 1, out);
        assertEquals(2, readsSent().size());
        int second = readsSent().get(1);
        assertNotEquals(first, second);
        assertEquals(List.of(), replies);
        coordinator.onPeerResponse(second, correlationFor(second), value(4, second), 2, out);
        assertEquals(List.of(value(4, second)), replies);
    }

    @Test
    void aSlowReplicaMakesTheReadAskTheReserveAfterTheSpeculativeDelay() {
        startQuorumReadWithTwoPeers();
        long delay = coordinator.speculativeRetryMs();
        assertTrue(delay > 0 && delay < TIMEOUT_MS, "delay " + delay);
        coordinator.tick(delay - 1, out);
        assertEquals(1, readsSent().size(), "not yet");
        coordinator.tick(delay, out);
        assertEquals(2, readsSent().size(), "the other replica is asked too");
        int reserve = readsSent().get(1);
        coordinator.onPeerResponse(reserve, correlationFor(reserve), value(7, reserve), delay + 1, out);
        assertEquals(List.of(value(7, reserve)), replies);
        assertEquals(1, coordinator.pendingOperations(), "the slow replica may still answer, and be repaired");
        int slow = readsSent().get(0);
        coordinator.onPeerResponse(slow, correlationFor(slow), Value.ABSENT, delay + 2, out);
        assertEquals(0, coordinator.pendingOperations());
        assertTrue(sent.stream().anyMatch(s -> s.node() == slow && s.request() instanceof ClusterRequests.ReplicaWrite),
                "the slow replica answered an older version and is repaired: " + sent);
        assertEquals(1, replies.size());
    }

    @Test
    void aReplicaInReserveThatWentDownIsNotAsked() {
        startQuorumReadWithTwoPeers();
        int first = readsSent().get(0);
        int reserve = first == 2 ? 3 : 2;
        membership.markDown(reserve);
        assertFalse(membership.isUp(reserve, 1));
        coordinator.onPeerFailure(first, correlationFor(first), 1, out);
        assertEquals(List.of(first), readsSent(), "the reserve is down: the read fails instead of waiting on it");
        assertTrue(replies.get(0) instanceof Responses.Error error && error.code() == ErrorCode.UNAVAILABLE, replies::toString);
    }

    @Test
    void anAllReadAsksEveryReplicaAndAOneReadOnAReplicaAsksNone() {
        membership.merge(List.of(member(2), member(3)), 0);
        coordinator.read("client", Key.of("k"), false, Consistency.ONE, 0, out);
        assertEquals(List.of(), readsSent());
        assertEquals(1, replies.size());
        coordinator.read("client", Key.of("k"), false, Consistency.ALL, 0, out);
        assertEquals(2, readsSent().size());
    }

    @Test
    void aReplicaThatNeverAnswersIsReportedAtTheDeadlineAfterTheClientHadItsAnswer() {
        membership.merge(List.of(member(2), member(3)), 0);
        coordinator.write("client", Key.of("k"), "v".getBytes(), Consistency.QUORUM, 0, out);
        coordinator.onPeerResponse(2, correlationFor(2), new ClusterResponses.ReplicaAck(true, false, new Timestamp(1, 1)), 0, out);
        assertTrue(replies.get(0) instanceof Responses.Written, replies::toString);
        assertEquals(List.of(), missed, "node 3 may still answer");
        assertEquals(1, coordinator.pendingOperations(), "the write is tracked until node 3 answers or the deadline");

        coordinator.tick(TIMEOUT_MS, out);
        assertEquals(List.of("3:k@1"), missed);
        assertEquals(0, coordinator.pendingOperations());
        assertEquals(1, replies.size(), "the client was answered once");
    }

    @Test
    void aDownOrFailingReplicaIsReportedAtOnceAndOnlyOnce() {
        membership.merge(List.of(member(2)), 0); // 3 is known only as a ring member that never gossiped
        membership.merge(List.of(member(3)), -20_000);
        coordinator.write("client", Key.of("k"), "v".getBytes(), Consistency.QUORUM, 0, out);
        assertEquals(List.of("3:k@1"), missed, "down when the write went out: never sent, reported at once");
        coordinator.onPeerFailure(2, correlationFor(2), 0, out);
        coordinator.onPeerFailure(2, correlationFor(2), 0, out);
        coordinator.tick(TIMEOUT_MS, out);
        assertEquals(List.of("3:k@1", "2:k@1"), missed);
    }

    @Test
    void aWriteEveryReplicaTookReportsNothing() {
        membership.merge(List.of(member(2), member(3)), 0);
        coordinator.write("client", Key.of("k"), "v".getBytes(), Consistency.ALL, 0, out);
        for (int node : new int[] {2, 3}) {
            coordinator.onPeerResponse(node, correlationFor(node), new ClusterResponses.ReplicaAck(true, false, new Timestamp(1, 1)), 0, out);
        }
        assertEquals(0, coordinator.pendingOperations());
        coordinator.tick(TIMEOUT_MS, out);
        assertEquals(List.of(), missed);
    }
}
