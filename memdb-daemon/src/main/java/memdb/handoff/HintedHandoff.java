package memdb.handoff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import memdb.cluster.Membership;
import memdb.oplog.OpLog;
import memdb.oplog.format.HintPayload;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Response;
import memdb.protocol.Timestamp;
import memdb.replication.MissedWrites;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.store.Versioned;

/**
 * Hinted handoff (Dynamo §4.6), the catch-up of a replica that was down or cut off: the coordinator keeps
 * each version a replica missed (told by the Coordinator through {@link MissedWrites}) and, once
 * membership holds that replica up again, replays exactly those to it in HINTS batches. A returning node
 * thus receives what it missed, not the whole data set, and not "every write after my last Lamport time"
 * (which would skip concurrent writes stamped below it by other coordinators' slower clocks).
 *
 * <p>Durability: every change to the hints is a HINT record in the op log (docs/oplog.md), appended in the
 * step that made it and committed with that step's batch; at boot the node hands the records back through
 * {@link #restore}. Invariants: a hint is removed only when its peer acknowledged a batch holding it (the
 * ack leaves the peer after the versions are in its op log), or when it is dropped — peer full, older than
 * {@code hintMaxAgeMs}, peer LEFT the ring, or peer no longer a replica of the key — and every drop is
 * counted; at most one batch per peer is in flight, the next goes at the next tick at the earliest
 * (the throttle); a batch unanswered by {@code replayTimeoutMs} counts as failed and its hints stay.
 * Pure: time comes from {@link #tick}, messages leave through the {@link Outbox}.
 */
public final class HintedHandoff implements MissedWrites {
    /** Set in every correlation id of a HINTS batch; the Coordinator's ids never reach it. */
    private static final long CORRELATION_TAG = 1L << 61;
    private static final int NODE_BITS = 16;

    private final HandoffSettings settings;
    private final OpLog opLog;
    private final Membership membership;
    private final int replicationFactor;
    private final HintStore hints;
    private final HandoffMetrics metrics = new HandoffMetrics();
    private final Map<Integer, Batch> inFlight = new TreeMap<>();
    private long nextBatchId = 1;
    private long nowMs;

    private record Batch(long correlationId, List<Hint> hints, long deadlineMs) {}

    public HintedHandoff(HandoffSettings settings, OpLog opLog, Membership membership, int replicationFactor, long nowMs) {
        this.settings = settings;
        this.opLog = opLog;
        this.membership = membership;
        this.replicationFactor = replicationFactor;
        this.hints = new HintStore(settings.maxHintsPerPeer());
        this.nowMs = nowMs;
    }

    public HandoffMetrics metrics() {
        return metrics;
    }

    /** Hints held right now, for all peers. */
    public int pendingHints() {
        return hints.size();
    }

    /** Roughly the heap the hints held take. */
    public long pendingHintBytes() {
        return hints.heapBytes();
    }

    public int pendingHints(int peer) {
        return hints.size(peer);
    }

    /** Whether a peer response or failure with this correlation id answers a HINTS batch. */
    public static boolean owns(long correlationId) {
        return (correlationId & CORRELATION_TAG) != 0;
    }

    // ---- storing ----------------------------------------------------------------------------------

    @Override
    public void missed(int peer, Key key, Versioned version) {
        HintStore.Added added = hints.add(new Hint(peer, key, version, nowMs));
        switch (added) {
            case NEW, REPLACED_OLDER -> {
                metrics.hintsStored++;
                opLog.append(OpLog.Op.HINT, key, version.timestamp(),
                        HintPayload.of(peer, version.isTombstone(), version.value()).encode());
            }
            case FULL -> metrics.hintsDropped[HandoffMetrics.DropReason.FULL.ordinal()]++;
            case HELD_NEWER -> { }
        }
    }

    /**
     * One HINT record replayed from the op log at boot, in log order, before the first input: a hint is
     * stored again (its age starts now), a DONE removes it. Logs nothing.
     */
    public void restore(Key key, Timestamp timestamp, byte[] payloadBytes) {
        HintPayload payload = HintPayload.decode(payloadBytes);
        switch (payload.kind()) {
            case VALUE -> hints.add(new Hint(payload.peer(), key, Versioned.value(timestamp, payload.value()), nowMs));
            case TOMBSTONE -> hints.add(new Hint(payload.peer(), key, Versioned.tombstone(timestamp), nowMs));
            case DONE -> hints.remove(payload.peer(), key, timestamp);
        }
    }

    // ---- replaying ---------------------------------------------------------------------------------

    /** Drops expired hints and those of peers that left; sends the next batch to every up peer that has hints. */
    public void tick(long nowMs, Outbox out) {
        this.nowMs = nowMs;
        if (hints.size() == 0) return;
        long expiredAtOrBeforeMs = nowMs - settings.hintMaxAgeMs() - 1;
        if (expiredAtOrBeforeMs < nowMs) { // else the age limit is beyond the clock's range (overflow): nothing expires
            for (Hint hint : hints.storedAtOrBefore(expiredAtOrBeforeMs)) drop(hint, HandoffMetrics.DropReason.EXPIRED);
        }
        for (int peer : List.copyOf(hints.peers())) {
            Member member = membership.member(peer);
            if (member != null && member.status() == Member.Status.LEFT) {
                for (Hint hint : hints.oldest(peer, Integer.MAX_VALUE)) drop(hint, HandoffMetrics.DropReason.LEFT);
                inFlight.remove(peer);
                continue;
            }
            Batch sent = inFlight.get(peer);
            if (sent != null) {
                if (sent.deadlineMs() > nowMs) continue;
                inFlight.remove(peer);
                metrics.replayBatchesFailed++;
            }
            if (membership.isUp(peer, nowMs)) send(peer, out);
        }
    }

    private void send(int peer, Outbox out) {
        List<Hint> batch = new ArrayList<>();
        int bytes = 0;
        for (Hint hint : hints.oldest(peer, settings.batchHintsMax())) {
            if (!membership.ring().preferenceList(hint.key(), replicationFactor).contains(peer)) {
                drop(hint, HandoffMetrics.DropReason.NOT_A_REPLICA); // the ring moved: the key's owners have it
                continue;
            }
            if (!batch.isEmpty() && bytes + hint.bytes() > settings.batchBytesMax()) break;
            batch.add(hint);
            bytes += hint.bytes();
        }
        if (batch.isEmpty()) return;
        List<ClusterRequests.ReplicaWrite> entries = new ArrayList<>(batch.size());
        for (Hint hint : batch) {
            Versioned v = hint.version();
            entries.add(new ClusterRequests.ReplicaWrite(hint.key(), v.isTombstone(), v.timestamp(), v.value()));
        }
        long correlationId = CORRELATION_TAG | (nextBatchId++ << NODE_BITS) | peer;
        inFlight.put(peer, new Batch(correlationId, batch, nowMs + settings.replayTimeoutMs()));
        out.send(peer, correlationId, new ClusterRequests.Hints(entries));
    }

    /** The peer answered a batch: on HintsAck its hints are done; on an error they stay for the next try. */
    public void onResponse(int peer, long correlationId, Response response) {
        Batch batch = inFlight.get(peer);
        if (batch == null || batch.correlationId() != correlationId) return; // late: timed out and resent since
        inFlight.remove(peer);
        if (!(response instanceof ClusterResponses.HintsAck)) {
            metrics.replayBatchesFailed++;
            return;
        }
        for (Hint hint : batch.hints()) {
            if (hints.remove(peer, hint.key(), hint.version().timestamp()) == null) continue; // replaced by a newer one
            metrics.hintsReplayed++;
            logDone(hint);
        }
    }

    /** A batch could not be delivered: its hints stay, and go again once the peer is up. */
    public void onFailure(int peer, long correlationId) {
        Batch batch = inFlight.get(peer);
        if (batch == null || batch.correlationId() != correlationId) return;
        inFlight.remove(peer);
        metrics.replayBatchesFailed++;
    }

    private void drop(Hint hint, HandoffMetrics.DropReason reason) {
        if (hints.remove(hint.peer(), hint.key(), hint.version().timestamp()) == null) return;
        metrics.hintsDropped[reason.ordinal()]++;
        logDone(hint);
    }

    private void logDone(Hint hint) {
        opLog.append(OpLog.Op.HINT, hint.key(), hint.version().timestamp(), HintPayload.done(hint.peer()).encode());
    }

    // ---- receiving ---------------------------------------------------------------------------------

    /** This node is the returning replica: applies a batch by last-writer-wins (logged) and counts it. */
    public ClusterResponses.HintsAck receive(ClusterRequests.Hints batch, Replica replica) {
        for (ClusterRequests.ReplicaWrite entry : batch.entries()) entry.key().validate();
        int applied = 0;
        for (ClusterRequests.ReplicaWrite entry : batch.entries()) {
            Versioned version = entry.tombstone() ? Versioned.tombstone(entry.timestamp())
                    : Versioned.value(entry.timestamp(), entry.value());
            if (replica.apply(entry.key(), version).applied()) applied++;
        }
        metrics.catchupRecordsReceived += batch.entries().size();
        metrics.catchupRecordsApplied += applied;
        return new ClusterResponses.HintsAck(applied);
    }
}
