package memdb.paxos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import memdb.clock.LamportClock;
import memdb.cluster.Membership;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages.Accepted;
import memdb.protocol.PaxosMessages.Commit;
import memdb.protocol.PaxosMessages.Prepare;
import memdb.protocol.PaxosMessages.Promise;
import memdb.protocol.PaxosMessages.Propose;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Responses.Value;
import memdb.protocol.Timestamp;
import memdb.replication.Outbox;
import memdb.ring.Ring;

/**
 * The proposer of single-decree Paxos per key (docs/cas.md): runs a client's CAS or serial read as
 * rounds against the key's replicas (the acceptors), any node coordinating.
 *
 * <p>A round: PREPARE with a fresh ballot (the Lamport clock's tick: unique, above everything seen) to
 * the replicas; a quorum of promises carries each acceptor's uncommitted accepted proposal and its
 * stored version. If a proposal is accepted above the newest stored version it may have been chosen: it
 * is finished first (re-proposed under this ballot, then committed) and the round starts again (a read
 * answers the finished value). Otherwise the newest stored version is the key's current value: a read
 * answers it; a CAS whose expectation does not hold answers false; one whose expectation holds PROPOSEs
 * its value and answers true once a quorum accepted; the COMMIT to the replicas follows without being
 * waited for (a later round finishes it if it is lost). Uncontended: two round trips before the answer.
 *
 * <p>Outcomes: false only when the expectation was read not to hold and this CAS never proposed. A CAS
 * proposal that was refused by some replicas may still have been accepted by others, so the CAS is
 * "possibly applied": it recognises its own value by its origin ballot when a later round finishes it;
 * otherwise, at its deadline or when the key moved on, it answers UNKNOWN_OUTCOME. Contention (a refusal,
 * a quorum out of reach, a phase timeout) backs off with random jitter before a new ballot.
 * Pure: time comes in {@code nowMs}, randomness from the node's seeded generator, messages leave
 * through the {@link Outbox}.
 */
public final class Proposer {
    /** Correlation ids of this proposer's messages have this bit set (the coordinator's never do). */
    public static final long CORRELATION_FLAG = 1L << 62;
    private static final int NODE_BITS = 16;
    private static final int PHASE_BITS = 16;
    private static final long ROUND_MASK = (1L << 30) - 1;
    private static final long BACKOFF_MS_MIN = 2;

    /** {@code timeoutMs}: a CAS or serial read gives up after it; {@code phaseTimeoutMs}: a phase is retried after it. */
    public record Settings(int replicationFactor, long timeoutMs, long phaseTimeoutMs, long backoffMsMax, int valueBytesMax) {
        public Settings {
            if (replicationFactor < 1 || timeoutMs < 1 || phaseTimeoutMs < 1 || backoffMsMax < BACKOFF_MS_MIN) {
                throw new IllegalArgumentException("paxos settings must be positive");
            }
        }
    }

    /** Counts for the tests and /metrics: rounds started, proposals finished for others, contention. */
    public static final class Metrics {
        public long operations;
        public long prepares;
        public long proposals;
        public long finished;
        public long retries;
        public long unknownOutcomes;
    }

    private enum Phase { PREPARE, PROPOSE, BACKOFF }

    private static final class Operation {
        final long id;
        final Object replyTo;
        final Key key;
        final boolean read;
        final byte[] expected; // null: expect absent
        final byte[] newValue;
        final long deadlineMs;
        final List<Integer> replicas;
        final int quorum;
        Phase phase;
        int phaseSeq;
        long phaseDeadlineMs;
        long retryAtMs;
        int attempts;
        Timestamp ballot;
        final Map<Integer, Promise> promises = new LinkedHashMap<>();
        /** Who answered in this phase: a duplicated answer (the network may deliver twice) counts once. */
        final java.util.Set<Integer> answered = new java.util.HashSet<>();
        int accepts;
        int refusals;
        int failures;
        Timestamp proposalOrigin;
        byte[] proposalValue;
        /** The ballot of this CAS's first proposal of its own value; null until it proposes. */
        Timestamp origin;
        /** The coordinator's own accept waits for a remote one (see propose). */
        boolean localDeferred;
        /** Some acceptor may hold (or have committed) this CAS's own value. */
        boolean possiblyApplied;

        Operation(long id, Object replyTo, Key key, boolean read, byte[] expected, byte[] newValue, long deadlineMs,
                  List<Integer> replicas, int quorum) {
            this.id = id;
            this.replyTo = replyTo;
            this.key = key;
            this.read = read;
            this.expected = expected;
            this.newValue = newValue;
            this.deadlineMs = deadlineMs;
            this.replicas = replicas;
            this.quorum = quorum;
        }

        boolean proposingOwn() {
            return origin != null && origin.equals(proposalOrigin);
        }
    }

    private final LamportClock clock;
    private final Membership membership;
    private final Acceptor local;
    private final Settings settings;
    private final RandomGenerator random;
    private final Metrics metrics = new Metrics();
    private final Map<Long, Operation> operations = new LinkedHashMap<>();
    private long nextId = 1;

    public Proposer(LamportClock clock, Membership membership, Acceptor local, Settings settings, RandomGenerator random) {
        this.clock = clock;
        this.membership = membership;
        this.local = local;
        this.settings = settings;
        this.random = random;
    }

    public static boolean owns(long correlationId) {
        return (correlationId & CORRELATION_FLAG) != 0;
    }

    public Metrics metrics() {
        return metrics;
    }

    public int pendingOperations() {
        return operations.size();
    }

    // ---- client requests --------------------------------------------------------------------------

    /** CAS: {@code expected} null means "expect no live value". Answers Bool, or an error. */
    public void cas(Object replyTo, Key key, byte[] expected, byte[] newValue, long nowMs, Outbox out) {
        if (newValue.length > settings.valueBytesMax()) {
            throw ErrorCode.VALUE_TOO_LARGE.exception("value is " + newValue.length + " bytes; the limit is "
                    + settings.valueBytesMax());
        }
        begin(replyTo, key, false, expected, newValue, nowMs, out);
    }

    /** SERIAL_GET: answers a Value linearizable with CAS. */
    public void serialGet(Object replyTo, Key key, long nowMs, Outbox out) {
        begin(replyTo, key, true, null, null, nowMs, out);
    }

    private void begin(Object replyTo, Key key, boolean read, byte[] expected, byte[] newValue, long nowMs, Outbox out) {
        key.validate();
        // While a join or leave is under way the key's pending replicas (Cassandra's pending ranges) are
        // acceptors too, and each adds one to the quorum: any quorum then holds a majority of the current
        // replicas and a majority of the replicas the key has once the move is over, whichever way it ends.
        List<Integer> replicas = new ArrayList<>(membership.ring().preferenceList(key, settings.replicationFactor()));
        List<Integer> pending = Ring.pendingReplicas(membership.ring(), membership.futureRing(), key,
                settings.replicationFactor());
        int quorum = replicas.size() / 2 + 1 + pending.size();
        replicas.addAll(pending);
        long id = nextId;
        nextId = nextId == ROUND_MASK ? 1 : nextId + 1;
        Operation op = new Operation(id, replyTo, key, read, expected, newValue, nowMs + settings.timeoutMs(), replicas,
                quorum);
        operations.put(id, op);
        metrics.operations++;
        prepare(op, nowMs, out);
    }

    // ---- phases -----------------------------------------------------------------------------------

    private void prepare(Operation op, long nowMs, Outbox out) {
        if (upReplicas(op, nowMs) < op.quorum) {
            if (!op.possiblyApplied) {
                finish(op, out, new Responses.Error(ErrorCode.UNAVAILABLE, upReplicas(op, nowMs) + " of the key's "
                        + op.replicas.size() + " replicas are up; Paxos needs " + op.quorum + (op.read ? "" : "; the CAS was not applied")));
                return;
            }
            backOff(op, nowMs);
            return;
        }
        metrics.prepares++;
        op.ballot = clock.tick();
        startPhase(op, Phase.PREPARE, nowMs);
        int seq = op.phaseSeq;
        Prepare message = new Prepare(op.key, op.ballot);
        for (int node : op.replicas) {
            if (node == membership.selfId()) {
                onPromise(op, node, local.prepare(op.key, op.ballot), nowMs, out);
            } else if (membership.isUp(node, nowMs)) {
                out.send(node, correlation(op, node), message);
            } else {
                op.answered.add(node);
                op.failures++;
            }
            if (op.phaseSeq != seq) return; // decided already (a one-replica key)
        }
        settlePrepare(op, nowMs, out);
    }

    /**
     * Sends the proposal to the replicas. The coordinator's own acceptor (when it is a replica and others
     * are) accepts only after a remote one did: a proposal every remote acceptor refused then sits
     * nowhere, so the CAS may retry as never applied (and still answer false) instead of UNKNOWN_OUTCOME.
     */
    private void propose(Operation op, Timestamp origin, byte[] value, long nowMs, Outbox out) {
        metrics.proposals++;
        op.proposalOrigin = origin;
        op.proposalValue = value;
        startPhase(op, Phase.PROPOSE, nowMs);
        int seq = op.phaseSeq;
        Propose message = new Propose(op.key, op.ballot, origin, value);
        op.localDeferred = op.replicas.contains(membership.selfId()) && op.replicas.size() > 1;
        for (int node : op.replicas) {
            if (node == membership.selfId()) {
                if (!op.localDeferred) onAccepted(op, node, local.propose(op.key, op.ballot, origin, value), nowMs, out);
            } else if (membership.isUp(node, nowMs)) {
                out.send(node, correlation(op, node), message);
            } else {
                op.answered.add(node);
                op.refusals++; // never sent: it cannot have accepted
            }
            if (op.phaseSeq != seq) return;
        }
        settlePropose(op, nowMs, out);
    }

    private void startPhase(Operation op, Phase phase, long nowMs) {
        op.phase = phase;
        op.phaseSeq = (op.phaseSeq + 1) & ((1 << PHASE_BITS) - 1);
        op.phaseDeadlineMs = nowMs + settings.phaseTimeoutMs();
        op.promises.clear();
        op.answered.clear();
        op.accepts = 0;
        op.refusals = 0;
        op.failures = 0;
    }

    // ---- answers ----------------------------------------------------------------------------------

    public void onPeerResponse(int node, long correlationId, Response response, long nowMs, Outbox out) {
        Operation op = current(node, correlationId);
        if (op == null) return;
        if (op.phase == Phase.PREPARE) {
            if (response instanceof Promise promise) onPromise(op, node, promise, nowMs, out);
            else if (op.answered.add(node)) op.failures++;
            if (op.phase == Phase.PREPARE) settlePrepare(op, nowMs, out);
        } else if (op.phase == Phase.PROPOSE) {
            if (response instanceof Accepted accepted) onAccepted(op, node, accepted, nowMs, out);
            else if (op.answered.add(node)) op.failures++;
            if (op.phase == Phase.PROPOSE) settlePropose(op, nowMs, out);
        }
    }

    public void onPeerFailure(int node, long correlationId, long nowMs, Outbox out) {
        Operation op = current(node, correlationId);
        if (op == null || !op.answered.add(node)) return;
        op.failures++;
        if (op.phase == Phase.PREPARE) settlePrepare(op, nowMs, out);
        else if (op.phase == Phase.PROPOSE) settlePropose(op, nowMs, out);
    }

    /** The operation a response belongs to, if it answers the operation's current phase (else stale). */
    private Operation current(int node, long correlationId) {
        Operation op = operations.get((correlationId >>> (NODE_BITS + PHASE_BITS)) & ROUND_MASK);
        if (op == null || op.phase == Phase.BACKOFF) return null;
        if (((correlationId >>> NODE_BITS) & ((1 << PHASE_BITS) - 1)) != op.phaseSeq) return null;
        if ((correlationId & ((1 << NODE_BITS) - 1)) != node) return null;
        return op;
    }

    private void onPromise(Operation op, int node, Promise promise, long nowMs, Outbox out) {
        if (!op.answered.add(node)) return;
        if (!promise.promised()) {
            clock.observe(promise.ballot().lamport());
            op.refusals++;
        } else if (promise.ballot().equals(op.ballot)) {
            op.promises.putIfAbsent(node, promise);
        } else {
            op.failures++;
        }
        settlePrepare(op, nowMs, out);
    }

    private void onAccepted(Operation op, int node, Accepted accepted, long nowMs, Outbox out) {
        if (!op.answered.add(node)) {
            // A second answer from one acceptor (a duplicated proposal): counted once, but an accept after a
            // refusal means the value does sit there.
            if (accepted.accepted() && op.proposingOwn()) op.possiblyApplied = true;
            return;
        }
        if (accepted.accepted()) {
            op.accepts++;
            if (op.localDeferred) {
                op.localDeferred = false;
                onAccepted(op, membership.selfId(), local.propose(op.key, op.ballot, op.proposalOrigin, op.proposalValue), nowMs, out);
                return;
            }
        } else {
            clock.observe(accepted.floor().lamport());
            op.refusals++;
        }
        settlePropose(op, nowMs, out);
    }

    private void settlePrepare(Operation op, long nowMs, Outbox out) {
        if (op.phase != Phase.PREPARE) return;
        if (op.promises.size() >= op.quorum) {
            promised(op, nowMs, out);
        } else if (op.refusals + op.failures > op.replicas.size() - op.quorum) {
            backOff(op, nowMs);
        }
    }

    private void settlePropose(Operation op, long nowMs, Outbox out) {
        if (op.phase != Phase.PROPOSE) return;
        if (op.accepts >= op.quorum) {
            chosen(op, nowMs, out);
        } else if (op.refusals + op.failures > op.replicas.size() - op.quorum) {
            // Possibly applied unless every acceptor asked refused (a deferred local one was never asked).
            int definitelyNot = op.refusals + (op.localDeferred ? 1 : 0);
            if (op.proposingOwn() && definitelyNot < op.replicas.size()) op.possiblyApplied = true;
            backOff(op, nowMs);
        }
    }

    /** A quorum promised: finish what is in progress, or read, or decide the CAS. */
    private void promised(Operation op, long nowMs, Outbox out) {
        Value newest = Value.ABSENT;
        Timestamp newestOrigin = Timestamp.ZERO;
        Promise inProgress = null;
        for (Promise p : op.promises.values()) {
            if (p.current().timestamp().isAfter(newest.timestamp())) {
                newest = p.current();
                newestOrigin = p.currentOrigin();
            } else if (p.current().timestamp().equals(newest.timestamp()) && !p.currentOrigin().equals(Timestamp.ZERO)) {
                newestOrigin = p.currentOrigin();
            }
        }
        for (Promise p : op.promises.values()) {
            if (p.hasAccepted() && p.acceptedBallot().isAfter(newest.timestamp())
                    && (inProgress == null || p.acceptedBallot().isAfter(inProgress.acceptedBallot()))) {
                inProgress = p;
            }
        }
        if (inProgress != null) {
            if (!inProgress.acceptedOrigin().equals(op.origin)) metrics.finished++;
            propose(op, inProgress.acceptedOrigin(), inProgress.acceptedValue(), nowMs, out);
            return;
        }
        if (op.read) {
            finish(op, out, newest);
            return;
        }
        if (op.possiblyApplied && newestOrigin.equals(op.origin)) {
            finish(op, out, new Responses.Bool(true)); // another proposer finished and committed our value
            return;
        }
        boolean holds = op.expected == null ? !newest.isPresent() : newest.isPresent() && Arrays.equals(newest.value(), op.expected);
        if (op.possiblyApplied && (!holds || newest.timestamp().compareTo(op.origin) >= 0)) {
            // Our value may have been chosen and overwritten since; nothing here tells.
            unknown(op, out, "the key changed while this CAS's proposal was contended");
            return;
        }
        if (holds) {
            if (op.origin == null) op.origin = op.ballot;
            propose(op, op.origin, op.newValue, nowMs, out);
        } else {
            finish(op, out, new Responses.Bool(false));
        }
    }

    /** A quorum accepted: the proposal is chosen. Commit it, and answer or go on. */
    private void chosen(Operation op, long nowMs, Outbox out) {
        Commit commit = new Commit(op.key, op.ballot, op.proposalOrigin, op.proposalValue);
        for (int node : op.replicas) {
            if (node == membership.selfId()) local.commit(op.key, op.ballot, op.proposalOrigin, op.proposalValue);
            else if (membership.isUp(node, nowMs)) out.send(node, CORRELATION_FLAG, commit);
        }
        if (op.proposingOwn()) {
            finish(op, out, new Responses.Bool(true));
        } else if (op.read) {
            finish(op, out, Value.present(op.ballot, op.proposalValue));
        } else {
            prepare(op, nowMs, out); // the finished proposal was another's: now our own round
        }
    }

    private void backOff(Operation op, long nowMs) {
        metrics.retries++;
        op.phase = Phase.BACKOFF;
        op.attempts++;
        long bound = Math.min(settings.backoffMsMax(), BACKOFF_MS_MIN << Math.min(op.attempts, 20));
        op.retryAtMs = nowMs + 1 + random.nextLong(bound);
    }

    // ---- time -------------------------------------------------------------------------------------

    /** Retries after back-off, retries a phase that timed out, and gives up at the deadline. */
    public void tick(long nowMs, Outbox out) {
        for (Operation op : new ArrayList<>(operations.values())) {
            if (nowMs >= op.deadlineMs) {
                giveUp(op, out);
            } else if (op.phase == Phase.BACKOFF && nowMs >= op.retryAtMs) {
                prepare(op, nowMs, out);
            } else if (op.phase != Phase.BACKOFF && nowMs >= op.phaseDeadlineMs) {
                if (op.phase == Phase.PROPOSE && op.proposingOwn()) op.possiblyApplied = true; // answers may be on the way
                backOff(op, nowMs);
            }
        }
    }

    private void giveUp(Operation op, Outbox out) {
        boolean mayHaveHappened = op.possiblyApplied || (op.phase == Phase.PROPOSE && op.proposingOwn());
        if (!op.read && mayHaveHappened) {
            unknown(op, out, "no quorum decided within " + settings.timeoutMs() + " ms");
        } else {
            finish(op, out, new Responses.Error(ErrorCode.UNAVAILABLE, "no quorum decided within " + settings.timeoutMs()
                    + " ms (contention or unreachable replicas)" + (op.read ? "" : "; the CAS was not applied")));
        }
    }

    private void unknown(Operation op, Outbox out, String why) {
        metrics.unknownOutcomes++;
        finish(op, out, new Responses.Error(ErrorCode.UNKNOWN_OUTCOME, why + "; the CAS may or may not have been applied"));
    }

    private void finish(Operation op, Outbox out, Response answer) {
        operations.remove(op.id);
        op.phase = Phase.BACKOFF;
        op.phaseSeq = -1;
        out.reply(op.replyTo, answer);
    }

    private int upReplicas(Operation op, long nowMs) {
        int up = 0;
        for (int node : op.replicas) if (node == membership.selfId() || membership.isUp(node, nowMs)) up++;
        return up;
    }

    private static long correlation(Operation op, int node) {
        return CORRELATION_FLAG | (op.id << (NODE_BITS + PHASE_BITS)) | ((long) op.phaseSeq << NODE_BITS) | node;
    }
}
