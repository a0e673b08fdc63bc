package memdb.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import memdb.clock.LamportClock;
import memdb.cluster.Membership;
import memdb.oplog.OpLog;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;

/** The coordinator tells hinted handoff, once per replica, of every replica that did not take a write. */
class CoordinatorMissedWritesTest {
    private static final long TIMEOUT_MS = 500;

    private final List<String> missed = new ArrayList<>();
    private final List<Response> replies = new ArrayList<>();
    private final List<long[]> sent = new ArrayList<>(); // {node, correlation}
    private final Membership membership = new Membership(member(1), 10_000, 8, new SplittableRandom(1), 0);
    private final Coordinator coordinator = new Coordinator(new LamportClock(1, 0), membership,
            new Replica(new Store(), OpLog.none()),
            new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE, TIMEOUT_MS, 1 << 20),
            (replica, key, version) -> missed.add(replica + ":" + key + "@" + version.timestamp().lamport()));
    private final Outbox out = new Outbox() {
        public void reply(Object replyTo, Response response) { replies.add(response); }

        public void send(int nodeId, long correlationId, Request request) { sent.add(new long[] {nodeId, correlationId}); }

        public void sendToAddress(String address, long correlationId, Request request) { throw new AssertionError(); }
    };

    private static Member member(int id) {
        return new Member(id, "node" + id, 7000 + id, 1, 1, Member.Status.NORMAL, true);
    }

    private long correlationFor(int node) {
        return sent.stream().filter(s -> s[0] == node).findFirst().orElseThrow()[1];
    }

    @Test
    void aReplicaThatNeverAnswersIsReportedAtTheDeadlineAfterTheClientHadItsAnswer() {
        membership.merge(List.of(member(2), member(3)), 0);
        coordinator.write("client", Key.of("k"), "v".getBytes(), Consistency.QUORUM, 0, out);
        coordinator.onPeerResponse(2, correlationFor(2), new ClusterResponses.ReplicaAck(true, false, new Timestamp(1, 1)), out);
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
        coordinator.onPeerFailure(2, correlationFor(2), out);
        coordinator.onPeerFailure(2, correlationFor(2), out);
        coordinator.tick(TIMEOUT_MS, out);
        assertEquals(List.of("3:k@1", "2:k@1"), missed);
    }

    @Test
    void aWriteEveryReplicaTookReportsNothing() {
        membership.merge(List.of(member(2), member(3)), 0);
        coordinator.write("client", Key.of("k"), "v".getBytes(), Consistency.ALL, 0, out);
        for (int node : new int[] {2, 3}) {
            coordinator.onPeerResponse(node, correlationFor(node), new ClusterResponses.ReplicaAck(true, false, new Timestamp(1, 1)), out);
        }
        assertEquals(0, coordinator.pendingOperations());
        coordinator.tick(TIMEOUT_MS, out);
        assertEquals(List.of(), missed);
    }
}
