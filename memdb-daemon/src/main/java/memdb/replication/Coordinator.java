package memdb.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import memdb.clock.LamportClock;
import memdb.cluster.Membership;
import memdb.protocol.ClusterRequests.ReplicaRead;
import memdb.protocol.ClusterRequests.ReplicaWrite;
import memdb.protocol.ClusterResponses.ReplicaAck;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Responses.Value;
import memdb.protocol.Timestamp;
import memdb.ring.Ring;
import memdb.store.Versioned;

/**
 * The coordinator of leaderless replication (Dynamo §4.5): any node takes a client's read or write,
 * sends it to the key's preference list in parallel, and answers once the requested number of
 * replicas (ONE, QUORUM, ALL) have: writes carry a fresh Lamport timestamp from this node's clock;
 * reads answer the newest version seen and repair the replicas that answered older ones.
 *
 * <p>A read asks only the replicas it needs — this node first when it holds the key, then the others in
 * preference-list order — and keeps the other live replicas in reserve (Cassandra's reads): a reserve is
 * asked at once when an asked replica fails, and every reserve is asked when the read is still short of
 * answers after {@link #speculativeRetryMs} (speculative retry). At N = 3 a QUORUM read is then two
 * messages on the network instead of four; read repair covers the replicas that answered, anti-entropy
 * the rest.
 *
 * <p>Invariants: a request is answered exactly once (success, UNAVAILABLE when W/R is out of reach,
 * TIMEOUT at the deadline: the write may or may not have been applied); answers that come after an
 * operation is done or forgotten are ignored; a down replica is not waited for. Pure: time comes in
 * {@code nowMs}, messages leave through the {@link Outbox}.
 *
 * <p>A write stays tracked after its answer until every replica has answered or its deadline passed, so
 * that each replica that did not take it (down, failed, silent) is reported once to {@link MissedWrites}
 * (hinted handoff, Dynamo §4.6).
 */
public final class Coordinator {
    private static final int NODE_BITS = 16;
    private static final long SPECULATIVE_RETRY_MAX_MS = 50;

    private final LamportClock clock;
    private final Membership membership;
    private final Replica replica;
    /** Replaced only by {@link #setDefaultConsistency} (a live config change), on the core thread like every call. */
    private ReplicationSettings settings;
    private final MissedWrites missedWrites;
    /** False only under the no-read-repair bug canary (memdb.node.Canaries): reads then repair nothing. */
    private final boolean readRepair;
    private final ReplicationMetrics metrics = new ReplicationMetrics();
    /** In creation order, so deadlines (creation + one timeout) are in order too. */
    private final Map<Long, Operation> operations = new LinkedHashMap<>();
    private long nextOperationId = 1;

    private abstract static class Operation {
        final Object replyTo;
        final long deadlineMs;
        boolean answered;

        Operation(Object replyTo, long deadlineMs) {
            this.replyTo = replyTo;
            this.deadlineMs = deadlineMs;
        }
    }

    private static final class Write extends Operation {
        final WriteQuorum quorum;
        final Key key;
        final Versioned version;
        final Timestamp timestamp;
        boolean existed;

        Write(Object replyTo, long deadlineMs, WriteQuorum quorum, Key key, Versioned version) {
            super(replyTo, deadlineMs);
            this.quorum = quorum;
            this.key = key;
            this.version = version;
            this.timestamp = version.timestamp();
        }
    }

    private static final class Read extends Operation {
        final Key key;
        final ReadQuorum quorum;
        final boolean containsOnly;
        final long startedMs;
        /** Live replicas not asked yet, in preference-list order. */
        final ArrayDeque<Integer> reserve = new ArrayDeque<>();

        Read(Object replyTo, long deadlineMs, Key key, ReadQuorum quorum, boolean containsOnly, long startedMs) {
            super(replyTo, deadlineMs);
            this.key = key;
            this.quorum = quorum;
            this.containsOnly = containsOnly;
            this.startedMs = startedMs;
        }
    }

    public Coordinator(LamportClock clock, Membership membership, Replica replica, ReplicationSettings settings) {
        this(clock, membership, replica, settings, MissedWrites.NONE);
    }

    public Coordinator(LamportClock clock, Membership membership, Replica replica, ReplicationSettings settings,
                       MissedWrites missedWrites) {
        this(clock, membership, replica, settings, missedWrites, true);
    }

    /** {@code readRepair} false plants the no-read-repair bug canary (tests only). */
    public Coordinator(LamportClock clock, Membership membership, Replica replica, ReplicationSettings settings,
                       MissedWrites missedWrites, boolean readRepair) {
        this.readRepair = readRepair;
        this.clock = clock;
        this.membership = membership;
        this.replica = replica;
        this.settings = settings;
        this.missedWrites = missedWrites;
    }

    public ReplicationMetrics metrics() {
        return metrics;
    }

    /** The consistency of requests that name none, from the next request on; operations under way keep theirs. */
    public void setDefaultConsistency(Consistency write, Consistency read) {
        settings = settings.withDefaults(write, read);
    }

    public int pendingOperations() {
        return operations.size();
    }

    // ---- client requests --------------------------------------------------------------------------

    /** SET (value non-null) or DELETE (value null). */
    public void write(Object replyTo, Key key, byte[] value, Consistency requested, long nowMs, Outbox out) {
        try {
            key.validate();
            if (value != null && value.length > settings.maxValueBytes()) {
                throw ErrorCode.VALUE_TOO_LARGE.exception(
                        "value is " + value.length + " bytes; the limit is " + settings.maxValueBytes());
            }
        } catch (MemDbException e) {
            out.reply(replyTo, Responses.Error.of(e));
            return;
        }
        Timestamp ts = clock.tick();
        Versioned version = value == null ? Versioned.tombstone(ts) : Versioned.value(ts, value);
        List<Integer> replicas = membership.ring().preferenceList(key, settings.replicationFactor());
        List<Integer> pending = Ring.pendingReplicas(membership.ring(), membership.futureRing(), key,
                settings.replicationFactor());
        Consistency level = settings.writeLevel(requested);
        int required = level.required(replicas.size()) + pending.size();
        if (!pending.isEmpty()) {
            replicas = new ArrayList<>(replicas);
            replicas.addAll(pending);
        }
        if (!enoughUp(replyTo, replicas, required, level, nowMs, out)) return;
        if (replicas.size() == 1 && replicas.get(0) == membership.selfId()) {
            writeHereOnly(replyTo, key, version, out);
            return;
        }
        // Pending replicas (a join or leave under way, Cassandra's pending ranges) get the write too, and each
        // adds one to the acknowledgements required: of any W + P of them, at least W come from the replicas
        // that hold the key once the move is over, whichever way it ends, so a read at R (W + R > N) meets it.
        long id = nextOperationId++;
        Write write = new Write(replyTo, nowMs + settings.requestTimeoutMs(), new WriteQuorum(replicas, required), key, version);
        operations.put(id, write);
        ReplicaWrite message = new ReplicaWrite(key, version.isTombstone(), ts, version.value());
        for (int node : replicas) {
            if (node == membership.selfId()) {
                onWriteAck(write, node, replica.apply(key, version));
            } else if (membership.isUp(node, nowMs)) {
                metrics.replicaMessagesSent++;
                out.send(node, correlation(id, node), message);
            } else {
                missed(write, node);
            }
        }
        settle(id, write, out);
    }

    /**
     * The key's only replica is this node (a single node, or N=1): the write is applied and answered in
     * this call, as a quorum of one would settle it, without an operation, a quorum or an id to track.
     */
    private void writeHereOnly(Object replyTo, Key key, Versioned version, Outbox out) {
        ReplicaAck ack = replica.apply(key, version);
        boolean heldNewer = heldNewer(ack, version.timestamp());
        metrics.writesSucceeded++;
        out.reply(replyTo, new Responses.Written(version.timestamp(), ack.existed(), heldNewer));
    }

    /** GET (containsOnly false) or CONTAINS (true). */
    public void read(Object replyTo, Key key, boolean containsOnly, Consistency requested, long nowMs, Outbox out) {
        try {
            key.validate();
            replica.checkNotCounter(key);
        } catch (MemDbException e) {
            out.reply(replyTo, Responses.Error.of(e));
            return;
        }
        List<Integer> replicas = membership.ring().preferenceList(key, settings.replicationFactor());
        Consistency level = settings.readLevel(requested);
        int required = level.required(replicas.size());
        if (required == 1 && replicas.contains(membership.selfId())) {
            metrics.readsSucceeded++;
            out.reply(replyTo, answer(replica.read(key), containsOnly));
            return;
        }
        if (!enoughUp(replyTo, replicas, required, level, nowMs, out)) return;
        long id = nextOperationId++;
        Read read = new Read(replyTo, nowMs + settings.requestTimeoutMs(), key, new ReadQuorum(replicas, required),
                containsOnly, nowMs);
        operations.put(id, read);
        if (replicas.contains(membership.selfId())) read.quorum.answer(membership.selfId(), replica.read(key));
        for (int node : replicas) {
            if (node == membership.selfId()) continue;
            if (membership.isUp(node, nowMs)) read.reserve.add(node);
            else read.quorum.fail(node);
        }
        askReserve(id, read, false, nowMs, out);
        settleRead(id, read, out);
    }

    /**
     * Sends the read to replicas in reserve: as many as the read is short of ({@code all} false), or every one
     * left (speculative retry). A replica that went down meanwhile fails at once.
     */
    private void askReserve(long id, Read read, boolean all, long nowMs, Outbox out) {
        while (!read.reserve.isEmpty() && (all || read.quorum.shortfall() > 0)) {
            int node = read.reserve.poll();
            if (membership.isUp(node, nowMs)) {
                read.quorum.ask(node);
                metrics.replicaMessagesSent++;
                out.send(node, correlation(id, node), new ReplicaRead(read.key));
            } else {
                read.quorum.fail(node);
            }
        }
    }

    private boolean enoughUp(Object replyTo, List<Integer> replicas, int required, Consistency level, long nowMs, Outbox out) {
        int up = 0;
        for (int node : replicas) if (membership.isUp(node, nowMs)) up++;
        if (up >= required) return true;
        out.reply(replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, up + " of the key's " + replicas.size()
                + " replicas are up; " + level + " needs " + required));
        return false;
    }

    // ---- answers from replicas --------------------------------------------------------------------

    public void onPeerResponse(int node, long correlationId, Response response, long nowMs, Outbox out) {
        long id = correlationId >>> NODE_BITS;
        Operation operation = operations.get(id);
        if (operation == null) return;
        if (operation instanceof Write write) {
            if (response instanceof ReplicaAck ack) onWriteAck(write, node, ack);
            else missed(write, node);
            settle(id, write, out);
        } else if (operation instanceof Read read) {
            if (response instanceof Value value) {
                read.quorum.answer(node, value);
            } else {
                read.quorum.fail(node);
                if (response instanceof Responses.Error error && error.code() == ErrorCode.WRONG_TYPE && !read.answered) {
                    read.answered = true; // a replica holds a counter there: say so rather than "unavailable"
                    out.reply(read.replyTo, error);
                }
                askReserve(id, read, false, nowMs, out);
            }
            settleRead(id, read, out);
        }
    }

    public void onPeerFailure(int node, long correlationId, long nowMs, Outbox out) {
        long id = correlationId >>> NODE_BITS;
        Operation operation = operations.get(id);
        if (operation instanceof Write write) {
            missed(write, node);
            settle(id, write, out);
        } else if (operation instanceof Read read) {
            read.quorum.fail(node);
            askReserve(id, read, false, nowMs, out);
            settleRead(id, read, out);
        }
    }

    private void onWriteAck(Write write, int node, ReplicaAck ack) {
        if (ack.existed()) write.existed = true;
        write.quorum.ack(node, heldNewer(ack, write.timestamp));
    }

    /** Whether the replica kept a newer version than the write's (a detected concurrent write, counted). */
    private boolean heldNewer(ReplicaAck ack, Timestamp written) {
        boolean newer = !ack.applied() && ack.current().isAfter(written);
        if (newer) metrics.concurrentWritesDetected++;
        return newer;
    }

    /** A replica did not take the write: it fails for the quorum and, the first time, goes to hinted handoff. */
    private void missed(Write write, int node) {
        if (!write.quorum.waitingFor(node)) return;
        write.quorum.fail(node);
        missedWrites.missed(node, write.key, write.version);
    }

    private void settle(long id, Write write, Outbox out) {
        if (write.quorum.complete()) operations.remove(id);
        WriteQuorum.Outcome outcome = write.quorum.outcome();
        if (write.answered || outcome == WriteQuorum.Outcome.PENDING) return;
        write.answered = true;
        if (outcome == WriteQuorum.Outcome.SUCCEEDED) {
            metrics.writesSucceeded++;
            out.reply(write.replyTo, new Responses.Written(write.timestamp, write.existed, write.quorum.superseded()));
        } else {
            metrics.writesFailed++;
            out.reply(write.replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, "only " + write.quorum.acks()
                    + " replicas acknowledged the write; " + write.quorum.required() + " were needed"));
        }
    }

    private void settleRead(long id, Read read, Outbox out) {
        ReadQuorum.Outcome outcome = read.quorum.outcome();
        if (!read.answered && outcome != ReadQuorum.Outcome.PENDING) {
            read.answered = true;
            if (outcome == ReadQuorum.Outcome.SUCCEEDED) {
                metrics.readsSucceeded++;
                out.reply(read.replyTo, answer(read.quorum.newest(), read.containsOnly));
            } else {
                metrics.readsFailed++;
                out.reply(read.replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, "only "
                        + read.quorum.answers().size() + " replicas answered the read; more were needed"));
            }
        }
        if (read.quorum.complete()) {
            operations.remove(id);
            repair(read, out);
        }
    }

    /** Read repair: sends the newest version to every replica that answered an older one. */
    private void repair(Read read, Outbox out) {
        if (!readRepair) return;
        for (ReadQuorum.Repair repair : read.quorum.repairs()) {
            metrics.readRepairs++;
            Versioned newest = Replica.versionOf(repair.newest());
            if (repair.replica() == membership.selfId()) {
                replica.apply(read.key, newest);
            } else {
                metrics.replicaMessagesSent++;
                out.send(repair.replica(), correlation(0, repair.replica()),
                        new ReplicaWrite(read.key, newest.isTombstone(), newest.timestamp(), newest.value()));
            }
        }
    }

    /** A GET answers the version itself, tombstones included: a client comparing replicas needs the delete's time. */
    private static Response answer(Value value, boolean containsOnly) {
        return containsOnly ? new Responses.Bool(value.isPresent()) : value;
    }

    // ---- time -------------------------------------------------------------------------------------

    /**
     * Answers TIMEOUT to every operation past its deadline, repairs what finished reads learned, and reports
     * the replicas that never answered a write as having missed it.
     */
    public void tick(long nowMs, Outbox out) {
        long retryBefore = nowMs - speculativeRetryMs();
        for (Map.Entry<Long, Operation> entry : operations.entrySet()) {
            if (entry.getValue() instanceof Read read && !read.reserve.isEmpty() && read.startedMs <= retryBefore
                    && read.quorum.outcome() == ReadQuorum.Outcome.PENDING) {
                askReserve(entry.getKey(), read, true, nowMs, out);
            }
        }
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Operation> entry : operations.entrySet()) {
            if (entry.getValue().deadlineMs > nowMs) break;
            expired.add(entry.getKey());
        }
        for (long id : expired) {
            Operation operation = operations.remove(id);
            boolean answeredInTime = operation.answered;
            if (!answeredInTime) {
                operation.answered = true;
                metrics.timeouts++;
                out.reply(operation.replyTo, new Responses.Error(ErrorCode.TIMEOUT,
                        "replicas did not answer within " + settings.requestTimeoutMs() + " ms; the outcome is unknown"));
            }
            if (operation instanceof Read read && answeredInTime) {
                repair(read, out);
            } else if (operation instanceof Write write) {
                for (int node : write.quorum.waiting()) missed(write, node);
            }
        }
    }

    /**
     * How long a read waits for the replicas it asked before it asks the rest too: long enough that a loaded
     * but healthy replica rarely triggers it, a small share of the request timeout.
     */
    long speculativeRetryMs() {
        return Math.max(1, Math.min(SPECULATIVE_RETRY_MAX_MS, settings.requestTimeoutMs() / 10));
    }

    private static long correlation(long operationId, int node) {
        return (operationId << NODE_BITS) | node;
    }
}
