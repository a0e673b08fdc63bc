package memdb.counter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import memdb.cluster.Membership;
import memdb.crdt.PnCounter;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.replication.Outbox;
import memdb.replication.ReplicationSettings;
import memdb.replication.WriteQuorum;

/**
 * Coordinates counter operations (DESIGN §6; the counter leader of Cassandra's counters):
 *
 * <ul>
 *   <li>ADD: any node takes it and hands it to one replica of the key, the <em>leader</em>, picked from the
 *       preference list by the operation id ({@link #leaderOf}: every attempt of one increment meets the same
 *       leader, which remembers the id; a leader that is down is not replaced, the attempt is refused with
 *       UNAVAILABLE and counts nothing, and so is one whose leader a join or leave under way changes); the
 *       leader adds the delta to its own slot
 *       ({@link CounterReplica#lead}), merges that slot into the other replicas (COUNTER_MERGE) and answers
 *       once W replicas hold it, itself included;
 *   <li>GET: at ONE a replica answers from its own counter; else R replicas are read, their counters
 *       merged (the answer), and every replica whose counter does not cover the merge is sent it (read
 *       repair) once all have answered or the deadline passed.
 * </ul>
 *
 * <p>Invariants: every request is answered exactly once (the counter; WRONG_TYPE, INVALID_ARGUMENT or
 * UNAVAILABLE: this attempt counted nothing; TIMEOUT or UNKNOWN_OUTCOME: it may have been counted); a leader answers a forwarded increment within half the request timeout, so that its
 * coordinator, which waits a whole one, hears it; answers after an operation is done are ignored. Its
 * correlation ids carry {@link #CORRELATION_TAG}, so the node can tell its answers from the plain
 * coordinator's. Pure: time in {@code nowMs}, effects through the {@link Outbox}.
 */
public final class CounterCoordinator {
    /** Set in every correlation id of a counter operation (bit 60; the plain coordinator's ids stay below it). */
    public static final long CORRELATION_TAG = 1L << 60;
    private static final int NODE_BITS = 16;

    private final Membership membership;
    private final CounterReplica replica;
    private final ReplicationSettings settings;
    /** In creation order; deadlines are checked by scanning (operations have two timeout lengths). */
    private final Map<Long, Operation> operations = new LinkedHashMap<>();
    private long nextOperationId = 1;

    private abstract static class Operation {
        final Object replyTo;
        final long deadlineMs;
        final Key key;
        boolean answered;

        Operation(Object replyTo, long deadlineMs, Key key) {
            this.replyTo = replyTo;
            this.deadlineMs = deadlineMs;
            this.key = key;
        }
    }

    /** A coordinator waiting for the leader it handed an increment to. */
    private static final class Forward extends Operation {
        final int leader;

        Forward(Object replyTo, long deadlineMs, Key key, int leader) {
            super(replyTo, deadlineMs, key);
            this.leader = leader;
        }
    }

    /** A leader waiting for W replicas to hold its slot. */
    private static final class Lead extends Operation {
        final WriteQuorum quorum;

        Lead(Object replyTo, long deadlineMs, Key key, WriteQuorum quorum) {
            super(replyTo, deadlineMs, key);
            this.quorum = quorum;
        }
    }

    /** A replicated read: the answers so far, merged. */
    private static final class Read extends Operation {
        final List<Integer> replicas;
        final int required;
        final Map<Integer, PnCounter> answers = new LinkedHashMap<>();
        final List<Integer> failed = new ArrayList<>();
        PnCounter merged = PnCounter.EMPTY;

        Read(Object replyTo, long deadlineMs, Key key, List<Integer> replicas, int required) {
            super(replyTo, deadlineMs, key);
            this.replicas = replicas;
            this.required = required;
        }

        boolean complete() {
            return answers.size() + failed.size() >= replicas.size();
        }
    }

    public CounterCoordinator(Membership membership, CounterReplica replica, ReplicationSettings settings) {
        this.membership = membership;
        this.replica = replica;
        this.settings = settings;
    }

    public static boolean handles(Request request) {
        return request instanceof CounterMessages.Add || request instanceof CounterMessages.Get
                || request instanceof CounterMessages.Lead || request instanceof CounterMessages.Merge
                || request instanceof CounterMessages.Read;
    }

    public static boolean owns(long correlationId) {
        return (correlationId & CORRELATION_TAG) != 0;
    }

    public int pendingOperations() {
        return operations.size();
    }

    /**
     * Serves one counter request. Errors of the request itself (bad key, WRONG_TYPE, overflow) are thrown
     * as MemDbException before any state changes, for the node to answer.
     */
    public void dispatch(Object replyTo, Request request, long nowMs, Outbox out) {
        if (request instanceof CounterMessages.Add add) {
            add(replyTo, add.key().validate(), add.operationId(), add.delta(), add.consistency(), nowMs, out);
        } else if (request instanceof CounterMessages.Lead lead) {
            lead(replyTo, lead.key().validate(), lead.operationId(), lead.delta(), lead.consistency(),
                    nowMs + settings.requestTimeoutMs() / 2, nowMs, out);
        } else if (request instanceof CounterMessages.Get get) {
            get(replyTo, get.key().validate(), get.consistency(), nowMs, out);
        } else if (request instanceof CounterMessages.Merge merge) {
            out.reply(replyTo, new CounterMessages.State(replica.merge(merge.key().validate(), merge.counter())));
        } else if (request instanceof CounterMessages.Read read) {
            out.reply(replyTo, new CounterMessages.State(replica.read(read.key().validate())));
        } else {
            throw new IllegalArgumentException("not a counter request: " + request);
        }
    }

    private void add(Object replyTo, Key key, long operationId, long delta, Consistency level, long nowMs, Outbox out) {
        List<Integer> replicas = preferenceList(key);
        // The operation id picks the leader, whoever coordinates and whoever is up: every attempt of one
        // increment meets the same leader, which remembers the id and counts it once. No failover: with
        // that leader down this attempt is refused, and nothing was counted by it (UNAVAILABLE).
        int leader = leaderOf(replicas, operationId);
        List<Integer> future = membership.futureRing().preferenceList(key, settings.replicationFactor());
        if (!future.isEmpty() && leaderOf(future, operationId) != leader) {
            // A join or leave changes the key's replicas, and this id's leader with them: an attempt led by
            // either could be repeated by the other, so none is, until the move is over.
            out.reply(replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, "the key's replicas are moving and the leader of "
                    + "this increment with them (n" + leader + " -> n" + leaderOf(future, operationId)
                    + "); this attempt counted nothing"));
            return;
        }
        if (leader == membership.selfId()) {
            lead(replyTo, key, operationId, delta, level, nowMs + settings.requestTimeoutMs(), nowMs, out);
            return;
        }
        if (!membership.isUp(leader, nowMs)) {
            out.reply(replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, "n" + leader + ", the leader of this increment "
                    + "(chosen by its operation id), is down; this attempt counted nothing"));
            return;
        }
        long id = register(new Forward(replyTo, nowMs + settings.requestTimeoutMs(), key, leader));
        out.send(leader, correlation(id, leader), new CounterMessages.Lead(key, operationId, delta, level));
    }

    /**
     * The replica that leads every attempt of increment {@code operationId}: picked from the preference list
     * by a hash of the id, so increments spread over the replicas and a retry meets its first leader.
     */
    public static int leaderOf(List<Integer> replicas, long operationId) {
        long h = operationId * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return replicas.get((int) Math.floorMod(h, (long) replicas.size()));
    }

    private void lead(Object replyTo, Key key, long operationId, long delta, Consistency requested, long deadlineMs,
                      long nowMs, Outbox out) {
        List<Integer> replicas = preferenceList(key);
        Consistency level = settings.writeLevel(requested);
        int required = level.required(replicas.size());
        long up = replicas.stream().filter(node -> membership.isUp(node, nowMs)).count();
        if (up < required) {
            out.reply(replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, up + " of the key's " + replicas.size()
                    + " replicas are up; " + level + " needs " + required));
            return;
        }
        CounterReplica.Led led = replica.lead(key, operationId, delta);
        Lead lead = new Lead(replyTo, deadlineMs, key, new WriteQuorum(replicas, required));
        long id = register(lead);
        CounterMessages.Merge message = new CounterMessages.Merge(key, led.toReplicate());
        for (int node : replicas) {
            if (node == membership.selfId()) {
                lead.quorum.ack(node, false);
            } else if (membership.isUp(node, nowMs)) {
                out.send(node, correlation(id, node), message);
            } else {
                lead.quorum.fail(node);
            }
        }
        settleLead(id, lead, out);
    }

    private void get(Object replyTo, Key key, Consistency requested, long nowMs, Outbox out) {
        List<Integer> replicas = preferenceList(key);
        Consistency level = settings.readLevel(requested);
        int required = level.required(replicas.size());
        boolean selfReplica = replicas.contains(membership.selfId());
        PnCounter local = selfReplica ? replica.read(key) : null; // WRONG_TYPE leaves before anything is registered
        if (required == 1 && selfReplica) {
            out.reply(replyTo, new CounterMessages.State(local));
            return;
        }
        long up = replicas.stream().filter(node -> membership.isUp(node, nowMs)).count();
        if (up < required) {
            out.reply(replyTo, new Responses.Error(ErrorCode.UNAVAILABLE, up + " of the key's " + replicas.size()
                    + " replicas are up; " + level + " needs " + required));
            return;
        }
        Read read = new Read(replyTo, nowMs + settings.requestTimeoutMs(), key, replicas, required);
        long id = register(read);
        for (int node : replicas) {
            if (node == membership.selfId()) {
                answer(read, node, local);
            } else if (membership.isUp(node, nowMs)) {
                out.send(node, correlation(id, node), new CounterMessages.Read(key));
            } else {
                read.failed.add(node);
            }
        }
        settleRead(id, read, out);
    }

    // ---- answers from peers -----------------------------------------------------------------------

    public void onPeerResponse(int node, long correlationId, Response response, Outbox out) {
        long id = (correlationId & ~CORRELATION_TAG) >>> NODE_BITS;
        Operation operation = operations.get(id);
        if (operation instanceof Forward forward) {
            if (node != forward.leader) return;
            operations.remove(id);
            forward.answered = true;
            out.reply(forward.replyTo, response); // the leader's counter, or its error
        } else if (operation instanceof Lead lead) {
            if (response instanceof CounterMessages.State) {
                lead.quorum.ack(node, false);
            } else {
                lead.quorum.fail(node);
                if (response instanceof Responses.Error error && error.code() == ErrorCode.WRONG_TYPE) answerOnce(lead, error, out);
            }
            settleLead(id, lead, out);
        } else if (operation instanceof Read read) {
            if (response instanceof CounterMessages.State state) {
                answer(read, node, state.counter());
            } else {
                if (!read.failed.contains(node) && !read.answers.containsKey(node)) read.failed.add(node);
                if (response instanceof Responses.Error error && error.code() == ErrorCode.WRONG_TYPE) answerOnce(read, error, out);
            }
            settleRead(id, read, out);
        }
    }

    public void onPeerFailure(int node, long correlationId, Outbox out) {
        long id = (correlationId & ~CORRELATION_TAG) >>> NODE_BITS;
        Operation operation = operations.get(id);
        if (operation instanceof Forward forward && node == forward.leader) {
            operations.remove(id);
            answerOnce(forward, new Responses.Error(ErrorCode.UNKNOWN_OUTCOME, "lost the connection to n" + node
                    + ", the increment's leader; it may or may not be counted (retry with the same operation id)"), out);
        } else if (operation instanceof Lead lead) {
            lead.quorum.fail(node);
            settleLead(id, lead, out);
        } else if (operation instanceof Read read) {
            if (!read.failed.contains(node) && !read.answers.containsKey(node)) read.failed.add(node);
            settleRead(id, read, out);
        }
    }

    private void settleLead(long id, Lead lead, Outbox out) {
        WriteQuorum.Outcome outcome = lead.quorum.outcome();
        if (outcome == WriteQuorum.Outcome.PENDING) return;
        operations.remove(id);
        if (outcome == WriteQuorum.Outcome.SUCCEEDED) {
            answerOnce(lead, new CounterMessages.State(replica.read(lead.key)), out);
        } else {
            answerOnce(lead, new Responses.Error(ErrorCode.UNKNOWN_OUTCOME, "only " + lead.quorum.acks() + " replicas hold "
                    + "the increment; " + lead.quorum.required() + " were needed (it is counted by its leader and may "
                    + "still spread: retry with the same operation id)"), out);
        }
    }

    private static void answer(Read read, int node, PnCounter counter) {
        if (read.answers.containsKey(node) || read.failed.contains(node)) return;
        read.answers.put(node, counter);
        read.merged = read.merged.merge(counter);
    }

    private void settleRead(long id, Read read, Outbox out) {
        if (read.answers.size() >= read.required) {
            answerOnce(read, new CounterMessages.State(read.merged), out);
        } else if (read.replicas.size() - read.failed.size() < read.required) {
            answerOnce(read, new Responses.Error(ErrorCode.UNAVAILABLE, "only " + read.answers.size()
                    + " replicas answered the counter read; " + read.required + " were needed"), out);
        }
        if (read.complete()) {
            operations.remove(id);
            repair(read, out);
        }
    }

    /** Read repair: the merged counter to every replica whose answer did not cover it. */
    private void repair(Read read, Outbox out) {
        for (Map.Entry<Integer, PnCounter> answer : read.answers.entrySet()) {
            if (answer.getValue().covers(read.merged)) continue;
            int node = answer.getKey();
            if (node == membership.selfId()) {
                try {
                    replica.merge(read.key, read.merged);
                } catch (memdb.protocol.MemDbException e) {
                    // a newer value holds the key here now: nothing to repair
                }
            } else {
                out.send(node, correlation(0, node), new CounterMessages.Merge(read.key, read.merged));
            }
        }
    }

    // ---- time -------------------------------------------------------------------------------------

    /** Answers TIMEOUT to every operation past its deadline; a read that had answered repairs what it learned. */
    public void tick(long nowMs, Outbox out) {
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Operation> entry : operations.entrySet()) {
            if (entry.getValue().deadlineMs <= nowMs) expired.add(entry.getKey());
        }
        for (long id : expired) {
            Operation operation = operations.remove(id);
            if (operation instanceof Read read && read.answered) repair(read, out);
            answerOnce(operation, new Responses.Error(ErrorCode.TIMEOUT, "the counter's replicas did not answer in time; "
                    + "the outcome is unknown"), out);
        }
    }

    private static void answerOnce(Operation operation, Response response, Outbox out) {
        if (operation.answered) return;
        operation.answered = true;
        out.reply(operation.replyTo, response);
    }

    private List<Integer> preferenceList(Key key) {
        return membership.ring().preferenceList(key, settings.replicationFactor());
    }

    private long register(Operation operation) {
        long id = nextOperationId++;
        operations.put(id, operation);
        return id;
    }

    private static long correlation(long operationId, int node) {
        return CORRELATION_TAG | (operationId << NODE_BITS) | node;
    }
}
