package memdb.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import memdb.cluster.Membership;
import memdb.oplog.OpLog;
import memdb.oplog.format.Compactor;
import memdb.oplog.format.LogRecord;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

/** Hinted handoff alone: storing, logging, replay to a peer that is up, acks, failures, drops, and restore from the log. */
class HintedHandoffTest {
    private static final long DOWN_AFTER_MS = 1_000;
    private static final HandoffSettings SETTINGS = new HandoffSettings(100, 60_000, 3, 1 << 20, 500);

    /** An op log that keeps what it is given, as records with sequence numbers. */
    static final class Log implements OpLog {
        final List<LogRecord> records = new ArrayList<>();

        public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
            records.add(new LogRecord(records.size() + 1, op, timestamp, 0, key, value));
            return records.size();
        }

        public void commit(Runnable afterDurable) {
            afterDurable.run();
        }

        public void close() {}
    }

    /** Sends only; the handoff never replies. */
    static final class Sent implements Outbox {
        final List<long[]> to = new ArrayList<>(); // {node, correlation}
        final List<ClusterRequests.Hints> batches = new ArrayList<>();

        public void reply(Object replyTo, Response response) { throw new AssertionError("no replies"); }

        public void send(int nodeId, long correlationId, Request request) {
            to.add(new long[] {nodeId, correlationId});
            batches.add((ClusterRequests.Hints) request);
        }

        public void sendToAddress(String address, long correlationId, Request request) { throw new AssertionError(); }

        long lastCorrelation() {
            return to.get(to.size() - 1)[1];
        }
    }

    private final Log log = new Log();
    private final Membership membership = threeNodes();
    private final HintedHandoff handoff = new HintedHandoff(SETTINGS, log, membership, 3, 0);

    private static Membership threeNodes() {
        Membership m = new Membership(member(1, Member.Status.NORMAL), DOWN_AFTER_MS, 8, new SplittableRandom(1), 0);
        m.merge(List.of(member(2, Member.Status.NORMAL), member(3, Member.Status.NORMAL)), 0);
        return m;
    }

    private static Member member(int id, Member.Status status) {
        return new Member(id, "node" + id, 7000 + id, 1, 1, status, true);
    }

    private static Versioned value(long lamport) {
        return Versioned.value(new Timestamp(lamport, 1), ("v" + lamport).getBytes());
    }

    private int hintRecords() {
        return (int) log.records.stream().filter(r -> r.op() == OpLog.Op.HINT).count();
    }

    @Test
    void eachStoredHintIsAnOpLogRecordAndAStaleOneIsNot() {
        handoff.missed(2, Key.of("a"), value(5));
        handoff.missed(2, Key.of("a"), value(4));
        handoff.missed(2, Key.of("b"), Versioned.tombstone(new Timestamp(6, 1)));
        assertEquals(2, handoff.pendingHints(2));
        assertEquals(2, hintRecords());
        assertEquals(2, handoff.metrics().hintsStored());
    }

    @Test
    void hintsGoInThrottledBatchesAndLeaveOnlyWhenThePeerAcknowledges() {
        for (int i = 0; i < 7; i++) handoff.missed(2, Key.of("k" + i), value(10 + i));
        Sent out = new Sent();
        handoff.tick(10, out);
        assertEquals(1, out.batches.size());
        assertEquals(3, out.batches.get(0).entries().size(), "batchHintsMax");
        handoff.tick(20, out);
        assertEquals(1, out.batches.size(), "one batch in flight per peer");

        handoff.onResponse(2, out.lastCorrelation(), new ClusterResponses.HintsAck(3));
        assertEquals(4, handoff.pendingHints(2));
        assertEquals(3, handoff.metrics().hintsReplayed());

        handoff.tick(30, out);
        handoff.onFailure(2, out.lastCorrelation());
        assertEquals(4, handoff.pendingHints(2), "a failed batch leaves its hints");
        handoff.tick(40, out);
        handoff.onResponse(2, out.lastCorrelation(), new Responses.Error(ErrorCode.INTERNAL, "disk"));
        assertEquals(4, handoff.pendingHints(2), "an error leaves them too");
        handoff.tick(50, out);
        handoff.tick(50 + SETTINGS.replayTimeoutMs(), out);
        assertEquals(5, out.batches.size(), "an unanswered batch is sent again after the replay timeout");
        handoff.onResponse(2, out.to.get(3)[1], new ClusterResponses.HintsAck(3));
        assertEquals(4, handoff.pendingHints(2), "a late answer to a batch given up on changes nothing");
        handoff.onResponse(2, out.lastCorrelation(), new ClusterResponses.HintsAck(3));
        for (long now = 600; handoff.pendingHints() > 0 && now < 1_000; now += 10) {
            handoff.tick(now, out);
            handoff.onResponse(2, out.lastCorrelation(), new ClusterResponses.HintsAck(1));
        }
        assertEquals(0, handoff.pendingHints());
        assertEquals(7, handoff.metrics().hintsReplayed());
        assertEquals(3, handoff.metrics().replayBatchesFailed());
    }

    @Test
    void aPeerThatIsDownGetsNothingUntilItIsUpAgain() {
        handoff.missed(3, Key.of("a"), value(5));
        Sent out = new Sent();
        handoff.tick(DOWN_AFTER_MS + 1, out);
        assertEquals(0, out.batches.size());
        membership.merge(List.of(new Member(3, "node3", 7003, 2, 0, Member.Status.NORMAL, true)), DOWN_AFTER_MS + 5);
        handoff.tick(DOWN_AFTER_MS + 10, out);
        assertEquals(1, out.batches.size());
        assertEquals(3, out.to.get(0)[0]);
    }

    @Test
    void hintsAreDroppedAndCountedWhenTooOldOrWhenTheirPeerLeft() {
        handoff.missed(3, Key.of("old"), value(4));
        handoff.tick(SETTINGS.hintMaxAgeMs() - 1, new Sent());
        handoff.missed(2, Key.of("a"), value(5));
        membership.merge(List.of(new Member(2, "node2", 7002, 1, 2, Member.Status.LEFT, true)), 10);
        int recordsBefore = hintRecords();
        handoff.tick(SETTINGS.hintMaxAgeMs() + 1, new Sent());
        assertEquals(1, handoff.metrics().hintsDropped(HandoffMetrics.DropReason.EXPIRED));
        assertEquals(1, handoff.metrics().hintsDropped(HandoffMetrics.DropReason.LEFT));
        assertEquals(0, handoff.pendingHints());
        assertEquals(recordsBefore + 2, hintRecords(), "each drop is logged, so a restart does not bring it back");
    }

    @Test
    void aFullPeerDropsNewHintsAndCountsThem() {
        HintedHandoff small = new HintedHandoff(SETTINGS.withMaxHintsPerPeer(1), log, membership, 3, 0);
        small.missed(2, Key.of("a"), value(1));
        small.missed(2, Key.of("b"), value(2));
        assertEquals(1, small.pendingHints());
        assertEquals(1, small.metrics().hintsDropped(HandoffMetrics.DropReason.FULL));
    }

    /** The durability round trip: what a restarted node replays (raw, or compacted) is what it still owed. */
    @Test
    void theOpLogRestoresExactlyTheHintsStillOwed() {
        handoff.missed(2, Key.of("a"), value(1));
        handoff.missed(2, Key.of("a"), value(8)); // replaces
        handoff.missed(2, Key.of("b"), Versioned.tombstone(new Timestamp(3, 1)));
        handoff.missed(3, Key.of("a"), value(1));
        handoff.missed(3, Key.of("c"), value(4));
        Sent out = new Sent();
        handoff.tick(10, out); // one batch to each peer
        handoff.onResponse(3, out.to.get(1)[1], new ClusterResponses.HintsAck(2)); // node 3 has its two
        assertEquals(2, handoff.pendingHints());

        HintedHandoff replayed = restored(log.records);
        HintedHandoff compacted = restored(compact(log.records));
        for (HintedHandoff restored : List.of(replayed, compacted)) {
            assertEquals(2, restored.pendingHints(2));
            assertEquals(0, restored.pendingHints(3));
            Sent again = new Sent();
            restored.tick(20, again);
            List<ClusterRequests.ReplicaWrite> entries = again.batches.get(0).entries();
            assertEquals(List.of(new ClusterRequests.ReplicaWrite(Key.of("a"), false, new Timestamp(8, 1), "v8".getBytes()),
                    new ClusterRequests.ReplicaWrite(Key.of("b"), true, new Timestamp(3, 1), new byte[0])), entries);
        }
        assertTrue(compact(log.records).size() < log.records.size(), "compaction keeps only the hints still owed");
    }

    private HintedHandoff restored(List<LogRecord> records) {
        HintedHandoff restored = new HintedHandoff(SETTINGS, new Log(), membership, 3, 0);
        for (LogRecord r : records) if (r.op() == OpLog.Op.HINT) restored.restore(r.key(), r.timestamp(), r.value());
        return restored;
    }

    private static List<LogRecord> compact(List<LogRecord> records) {
        Compactor compactor = new Compactor();
        records.forEach(compactor::add);
        return compactor.result(0, -1);
    }

    @Test
    void theReturningReplicaAppliesABatchAndCountsWhatItReceived() {
        Store store = new Store();
        Replica replica = new Replica(store, log);
        replica.apply(Key.of("b"), value(9));
        ClusterResponses.HintsAck ack = handoff.receive(new ClusterRequests.Hints(List.of(
                new ClusterRequests.ReplicaWrite(Key.of("a"), false, new Timestamp(5, 1), "x".getBytes()),
                new ClusterRequests.ReplicaWrite(Key.of("b"), false, new Timestamp(6, 1), "old".getBytes()))), replica);
        assertEquals(1, ack.applied());
        assertEquals(2, handoff.metrics().catchupRecordsReceived());
        assertEquals(1, handoff.metrics().catchupRecordsApplied());
        assertEquals(value(9), store.get(Key.of("b")), "last writer wins: an older hint changes nothing");
    }
}
