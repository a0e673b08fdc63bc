package memdb.node;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import memdb.admin.RequestMetrics;
import memdb.cluster.Membership;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Member;
import memdb.protocol.Opcode;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.replication.Outbox;

/**
 * The core loop's {@link Outbox}: collects what one batch of inputs produced — replies grouped by
 * connection (in order), requests to peers — and releases them together once the batch's op-log
 * records are durable. Owned by the core thread until {@link #release} hands it to the log's callback.
 */
final class BatchOutbox implements Outbox {
    /** Metric names of the opcodes, made once rather than for every reply. */
    private static final String[] OPERATION_NAMES = java.util.Arrays.stream(Opcode.values())
            .map(op -> op.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    private record PeerSend(int nodeId, String address, long correlationId, Request request) {}

    private final Membership membership;
    /** Where each reply's operation, outcome and latency are counted; null for none. */
    private final RequestMetrics metrics;
    /** Replies at least this late are logged as slow; 0 = none. */
    private final long slowRequestNanos;
    /** The replies, as two parallel lists (no object per reply): whose request, and what answers it. */
    private final List<ClientRequest> repliesTo = new ArrayList<>();
    private final List<Response> responses = new ArrayList<>();
    private final List<PeerSend> sends = new ArrayList<>();
    private long lamport;

    BatchOutbox(Membership membership, RequestMetrics metrics) {
        this(membership, metrics, 0);
    }

    BatchOutbox(Membership membership, RequestMetrics metrics, long slowRequestNanos) {
        this.membership = membership;
        this.metrics = metrics;
        this.slowRequestNanos = slowRequestNanos;
    }

    @Override
    public void reply(Object replyTo, Response response) {
        repliesTo.add((ClientRequest) replyTo);
        responses.add(response);
    }

    @Override
    public void send(int nodeId, long correlationId, Request request) {
        Member member = membership.member(nodeId);
        if (member != null) sends.add(new PeerSend(nodeId, member.address(), correlationId, request));
    }

    @Override
    public void sendToAddress(String address, long correlationId, Request request) {
        sends.add(new PeerSend(0, address, correlationId, request));
    }

    /**
     * The Lamport time to stamp on what leaves: the core's time after the batch, so that a client that
     * saw a write's reply carries a time at or above the write's timestamp into its next request.
     */
    void stamp(long lamportTime) {
        this.lamport = lamportTime;
    }

    boolean isEmpty() {
        return repliesTo.isEmpty() && sends.isEmpty();
    }

    /**
     * Carries everything out: each connection gets its replies in one send, and the connections that send on
     * the same event loop are sent to by one task on it (one hand-off per I/O thread and batch, not one per
     * connection); then the peer requests.
     */
    void release(PeerSender peers) {
        sendGrouped(byConnection(null));
        if (metrics != null || slowRequestNanos > 0) {
            long now = System.nanoTime();
            int count = repliesTo.size();
            String[] ops = new String[count];
            boolean[] errors = new boolean[count];
            long[] latencies = new long[count];
            for (int i = 0; i < count; i++) {
                ClientRequest to = repliesTo.get(i);
                Response response = responses.get(i);
                long latencyNanos = now - to.arrivedNanos();
                ops[i] = OPERATION_NAMES[to.opcode().ordinal()];
                errors[i] = response instanceof Responses.Error;
                latencies[i] = latencyNanos;
                if (slowRequestNanos > 0 && latencyNanos >= slowRequestNanos) {
                    SlowRequestLog.log(to.opcode(), to.requestId(), SlowRequestLog.keyBytes(to.request()), latencyNanos, response);
                }
            }
            if (metrics != null) metrics.recordAll(ops, errors, latencies, count);
        }
        for (PeerSend s : sends) peers.send(s.nodeId(), s.address(), s.correlationId(), s.request(), lamport);
    }

    /** The op log could not make the batch durable: every reply becomes a STORAGE error; nothing is sent. */
    void failReplies() {
        sendGrouped(byConnection(new Responses.Error(ErrorCode.STORAGE, "the write could not be made durable")));
    }

    private static void sendGrouped(Map<Connection, List<Envelope>> grouped) {
        Map<Executor, List<Runnable>> byExecutor = null;
        for (Map.Entry<Connection, List<Envelope>> e : grouped.entrySet()) {
            Connection connection = e.getKey();
            Executor executor = connection.executor();
            if (executor == null) {
                connection.send(e.getValue());
                continue;
            }
            if (byExecutor == null) byExecutor = new IdentityHashMap<>();
            List<Envelope> replies = e.getValue();
            byExecutor.computeIfAbsent(executor, x -> new ArrayList<>()).add(() -> connection.send(replies));
        }
        if (byExecutor == null) return;
        for (Map.Entry<Executor, List<Runnable>> e : byExecutor.entrySet()) {
            List<Runnable> sends = e.getValue();
            try {
                e.getKey().execute(() -> sends.forEach(Runnable::run)); // on the event loop, each send writes at once
            } catch (RejectedExecutionException stopping) {
                // The event loop is shutting down, and its channels with it: nobody is left to answer.
            }
        }
    }

    /**
     * The replies as envelopes grouped by connection, in order; each one replaced by {@code instead} when
     * given. A run of replies to one connection (a pipelined read) is looked up in the map once.
     */
    private Map<Connection, List<Envelope>> byConnection(Response instead) {
        Map<Connection, List<Envelope>> grouped = new IdentityHashMap<>();
        Connection last = null;
        List<Envelope> lastList = null;
        for (int i = 0; i < repliesTo.size(); i++) {
            ClientRequest to = repliesTo.get(i);
            Response response = instead != null ? instead : responses.get(i);
            Connection connection = to.connection();
            if (connection != last) {
                last = connection;
                lastList = grouped.computeIfAbsent(connection, c -> new ArrayList<>());
            }
            lastList.add(Envelope.response(to.opcode(), to.requestId(), lamport, response));
        }
        return grouped;
    }
}
