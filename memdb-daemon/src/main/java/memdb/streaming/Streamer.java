package memdb.streaming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import memdb.paxos.Acceptor;
import memdb.paxos.AcceptorStates;
import memdb.protocol.ClusterRequests.ReplicaWrite;
import memdb.protocol.Key;
import memdb.protocol.Response;
import memdb.protocol.StateTransferMessages;
import memdb.protocol.StreamMessages;
import memdb.ring.TokenRange;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.store.Versioned;

/**
 * Carries out a {@link MovePlan}: pulls (join) or pushes (leave) every transfer chunk by chunk, a few at
 * a time, throttled to {@code bytesPerSec} (a token bucket refilled by the ticks), retrying a chunk whose
 * answer does not come within the timeout or whose peer failed (a down peer is waited for). Each
 * transfer keeps a cursor (the last key done), so a retry goes on from there; a range is done when all
 * its transfers are, and {@code onRangeDone} makes that durable so that a restarted join resumes with the
 * ranges not yet done (see {@link memdb.cluster.ClusterLog}). Entries apply by last-writer-wins on
 * arrival, so a chunk delivered twice changes nothing. After a transfer's entries, the range's Paxos
 * acceptor state follows the same way (PAXOS_STATE_PULL / PAXOS_STATE_PUSH, merged by the receiving
 * {@link Acceptor}: idempotent too), and only then is the transfer done (docs/cas.md, "Joins and leaves").
 *
 * <p>Invariants: at most {@link #IN_FLIGHT_MAX} chunks in flight; an answer counts only for the chunk it
 * answers (correlation ids are never reused); progress only grows. Pure: time and I/O come from the caller.
 */
public final class Streamer {
    public enum Direction { PULL, PUSH }

    static final int IN_FLIGHT_MAX = 4;
    static final int CHUNK_BYTES_MAX = 64 * 1024;
    /** Correlation ids of streaming have the top bit set, apart from the coordinator's. */
    public static final long CORRELATION_BIT = Long.MIN_VALUE;

    private static final class Transfer {
        final TokenRange range;
        final int peer;
        Key cursor = Key.wrap(new byte[0]);
        boolean done;
        long inFlight; // correlation id of the chunk in flight, 0 when none
        long sentAtMs;
        Key pushedUpTo; // PUSH: the last key of the chunk in flight
        boolean pushedMore;
        /** The store's entries are done; now the range's Paxos acceptor state (cursor restarted). */
        boolean acceptorPhase;

        Transfer(TokenRange range, int peer) {
            this.range = range;
            this.peer = peer;
        }
    }

    private final Direction direction;
    private final Replica replica;
    private final Acceptor acceptor;
    private final long bytesPerSec;
    private final long timeoutMs;
    private final Map<Long, List<Transfer>> byRange = new LinkedHashMap<>(); // by range end token
    private final Map<Long, Transfer> inFlight = new LinkedHashMap<>();
    private final Set<Long> rangesDone = new TreeSet<>();
    private final LongSupplier correlations;
    private double budgetBytes;
    private long lastRefillMs;
    private long bytesStreamed;
    private long entriesStreamed;

    /** A streamer with no Paxos acceptor state of its own (tests of the data path). */
    public Streamer(Direction direction, List<MovePlan.Transfer> plan, Set<Long> alreadyDone, Replica replica,
                    long bytesPerSec, long timeoutMs, LongSupplier correlations, long nowMs) {
        this(direction, plan, alreadyDone, replica, new Acceptor(new AcceptorStates(), replica, memdb.oplog.OpLog.none()),
                bytesPerSec, timeoutMs, correlations, nowMs);
    }

    /**
     * {@code correlations} hands out correlation ids never used before (also across streamers); {@code acceptor}
     * is this node's Paxos acceptor, whose state of each range moves after the range's entries.
     */
    public Streamer(Direction direction, List<MovePlan.Transfer> plan, Set<Long> alreadyDone, Replica replica,
                    Acceptor acceptor, long bytesPerSec, long timeoutMs, LongSupplier correlations, long nowMs) {
        this.direction = direction;
        this.correlations = correlations;
        this.replica = replica;
        this.acceptor = acceptor;
        this.bytesPerSec = bytesPerSec;
        this.timeoutMs = timeoutMs;
        this.lastRefillMs = nowMs;
        this.budgetBytes = Math.min(bytesPerSec, CHUNK_BYTES_MAX);
        for (MovePlan.Transfer t : plan) {
            byRange.computeIfAbsent(t.range().end(), end -> new ArrayList<>()).add(new Transfer(t.range(), t.peer()));
        }
        for (long end : alreadyDone) {
            if (byRange.containsKey(end)) {
                rangesDone.add(end);
                for (Transfer t : byRange.get(end)) t.done = true;
            }
        }
    }

    public boolean finished() {
        return rangesDone.size() == byRange.size();
    }

    public int rangesTotal() {
        return byRange.size();
    }

    public int rangesDone() {
        return rangesDone.size();
    }

    /** Progress in percent (100 when there is nothing to stream). */
    public int percent() {
        return byRange.isEmpty() ? 100 : (int) (100L * rangesDone.size() / byRange.size());
    }

    public long bytesStreamed() {
        return bytesStreamed;
    }

    public long entriesStreamed() {
        return entriesStreamed;
    }

    /** Refills the budget, retries what timed out, and starts chunks while there is budget and room. */
    public void tick(long nowMs, IntPredicate isUp, Outbox out, RangeDoneListener onRangeDone) {
        long rate = bytesPerSec;
        budgetBytes = Math.min(Math.max(rate, CHUNK_BYTES_MAX), budgetBytes + rate * (nowMs - lastRefillMs) / 1000.0);
        lastRefillMs = nowMs;
        inFlight.values().removeIf(t -> {
            if (nowMs - t.sentAtMs < timeoutMs) return false;
            t.inFlight = 0;
            return true;
        });
        for (List<Transfer> transfers : byRange.values()) {
            for (Transfer t : transfers) {
                if (inFlight.size() >= IN_FLIGHT_MAX || budgetBytes <= 0) return;
                if (t.done || t.inFlight != 0 || !isUp.test(t.peer)) continue;
                start(t, nowMs, out, onRangeDone);
            }
        }
    }

    private void start(Transfer t, long nowMs, Outbox out, RangeDoneListener onRangeDone) {
        int chunkBytes = (int) Math.max(1, Math.min(CHUNK_BYTES_MAX, bytesPerSec));
        long correlation = CORRELATION_BIT | correlations.getAsLong();
        if (t.acceptorPhase && direction == Direction.PULL) {
            out.send(t.peer, correlation, new StateTransferMessages.PaxosStatePull(t.range.start(), t.range.end(), t.cursor));
        } else if (t.acceptorPhase) {
            StateTransferMessages.PaxosStateChunk chunk = acceptor.scan(t.range, t.cursor, chunkBytes);
            if (chunk.entries().isEmpty()) {
                finish(t, onRangeDone);
                return;
            }
            t.pushedUpTo = chunk.entries().get(chunk.entries().size() - 1).key();
            t.pushedMore = chunk.more();
            long bytes = acceptorBytes(chunk.entries());
            budgetBytes -= bytes;
            bytesStreamed += bytes;
            out.send(t.peer, correlation, new StateTransferMessages.PaxosStatePush(chunk.entries()));
        } else if (direction == Direction.PULL) {
            out.send(t.peer, correlation, new StreamMessages.StreamPull(t.range.start(), t.range.end(), t.cursor, chunkBytes));
        } else {
            RangeScan.Chunk chunk = RangeScan.scan(replica.store(), t.range, t.cursor, chunkBytes);
            if (chunk.entries().isEmpty()) {
                entriesDone(t);
                start(t, nowMs, out, onRangeDone);
                return;
            }
            t.pushedUpTo = chunk.lastKey();
            t.pushedMore = chunk.more();
            budgetBytes -= chunk.bytes();
            bytesStreamed += chunk.bytes();
            entriesStreamed += chunk.entries().size();
            out.send(t.peer, correlation, new StreamMessages.StreamPush(chunk.entries()));
        }
        t.inFlight = correlation;
        t.sentAtMs = nowMs;
        inFlight.put(correlation, t);
    }

    /** The answer to a chunk: applies a pulled chunk, or advances a pushed one. False when it was not ours. */
    public boolean onResponse(long correlationId, Response response, RangeDoneListener onRangeDone) {
        Transfer t = inFlight.remove(correlationId);
        if (t == null) return (correlationId & CORRELATION_BIT) != 0;
        t.inFlight = 0;
        if (t.acceptorPhase && direction == Direction.PULL && response instanceof StateTransferMessages.PaxosStateChunk chunk) {
            acceptor.absorb(chunk.entries());
            long bytes = acceptorBytes(chunk.entries());
            budgetBytes -= bytes;
            bytesStreamed += bytes;
            if (!chunk.entries().isEmpty()) t.cursor = chunk.entries().get(chunk.entries().size() - 1).key();
            if (!chunk.more()) finish(t, onRangeDone);
        } else if (t.acceptorPhase && direction == Direction.PUSH && response instanceof StreamMessages.StreamAck) {
            t.cursor = t.pushedUpTo;
            if (!t.pushedMore) finish(t, onRangeDone);
        } else if (t.acceptorPhase) {
            return true; // an error answer: the chunk is retried at the next tick
        } else if (direction == Direction.PULL && response instanceof StreamMessages.StreamChunk chunk) {
            for (ReplicaWrite e : chunk.entries()) {
                replica.apply(e.key(), e.tombstone() ? Versioned.tombstone(e.timestamp()) : Versioned.value(e.timestamp(), e.value()));
            }
            long bytes = RangeScan.bytesOf(chunk.entries());
            budgetBytes -= bytes;
            bytesStreamed += bytes;
            entriesStreamed += chunk.entries().size();
            if (!chunk.entries().isEmpty()) t.cursor = chunk.entries().get(chunk.entries().size() - 1).key();
            if (!chunk.more()) entriesDone(t);
        } else if (direction == Direction.PUSH && response instanceof StreamMessages.StreamAck) {
            t.cursor = t.pushedUpTo;
            if (!t.pushedMore) entriesDone(t);
        }
        return true; // an error answer: the chunk is retried at the next tick
    }

    /** The transfer's store entries are all moved: its acceptor state follows, from the first key. */
    private static void entriesDone(Transfer t) {
        t.acceptorPhase = true;
        t.cursor = Key.wrap(new byte[0]);
    }

    private static long acceptorBytes(List<StateTransferMessages.AcceptorEntry> entries) {
        long bytes = 0;
        for (StateTransferMessages.AcceptorEntry e : entries) bytes += e.wireBytes();
        return bytes;
    }

    /** A chunk could not be delivered: it is retried at a later tick. */
    public boolean onFailure(long correlationId) {
        Transfer t = inFlight.remove(correlationId);
        if (t != null) t.inFlight = 0;
        return (correlationId & CORRELATION_BIT) != 0;
    }

    /**
     * A range is done when enough of its transfers are. Pushing (leave): all of them, each new replica
     * needs the data. Pulling (join): all but QUORUM - 1 of the current replicas, since every write
     * acknowledged at QUORUM is on QUORUM of them and so on at least one of any N - QUORUM + 1; a replica
     * that is down does not hold the join up.
     */
    private void finish(Transfer t, RangeDoneListener onRangeDone) {
        t.done = true;
        List<Transfer> transfers = byRange.get(t.range.end());
        int done = 0;
        for (Transfer other : transfers) if (other.done) done++;
        int needed = direction == Direction.PUSH ? transfers.size() : transfers.size() - (transfers.size() / 2 + 1) + 1;
        if (done < needed || !rangesDone.add(t.range.end())) return;
        for (Transfer other : transfers) other.done = true; // the rest need not be streamed
        onRangeDone.rangeDone(t.range.end());
    }

    /** Told when every transfer of a range is done. */
    public interface RangeDoneListener {
        void rangeDone(long endToken);
    }
}
