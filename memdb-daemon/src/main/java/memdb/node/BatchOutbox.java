package memdb.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import memdb.admin.RequestMetrics;
import memdb.cluster.Membership;
import memdb.protocol.ErrorCode;
import memdb.protocol.Member;
import memdb.protocol.Opcode;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.replication.Outbox;

/**
 * The core loop's {@link Outbox}: collects what one batch of inputs produced — replies, requests to peers —
 * and releases them together once the batch's op-log records are durable: each connection gets its replies
 * in one send, in order. Owned by the core thread until {@link #release} hands it to the log's callback.
 *
 * <p>Cost: nothing per reply beyond two array slots. The replies are kept in parallel arrays, grouped by
 * connection through an index array (a counting sort over an identity table of the batch's connections), and
 * each connection is sent a view of its group ({@link ReplyBatch}), valid during its send only. The arrays,
 * the table and the view are kept for the next batch: the core loop reuses an outbox once it has been
 * released ({@link #released}) and {@link #reset} it. A connection served on another thread is sent a copy.
 */
final class BatchOutbox implements Outbox {
    /** Metric names of the opcodes, made once rather than for every reply. */
    private static final String[] OPERATION_NAMES = Arrays.stream(Opcode.values())
            .map(op -> op.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
    private static final int INITIAL_REPLIES = 64;

    private record PeerSend(int nodeId, String address, long correlationId, Request request) {}

    private Membership membership;
    /** Where each reply's operation, outcome and latency are counted; null for none. */
    private final RequestMetrics metrics;
    /** Replies at least this late are logged as slow; 0 = none. */
    private long slowRequestNanos;
    /** The replies, as parallel arrays (no object per reply): whose request, and what answers it. */
    private ClientRequest[] repliesTo = new ClientRequest[INITIAL_REPLIES];
    private Response[] responses = new Response[INITIAL_REPLIES];
    private int count;
    private final List<PeerSend> sends = new ArrayList<>();
    private long lamport;
    /** Set (last) by {@link #release}: from then on the outbox may be {@link #reset} and reused. */
    private volatile boolean released;

    /** Grouping by connection: the reply indexes, each connection's in a run of their own, in order. */
    private int[] order = new int[INITIAL_REPLIES];
    private int[] groupOf = new int[INITIAL_REPLIES];
    private final ConnectionGroups groups = new ConnectionGroups();
    /** What a connection is sent: its run of {@link #order}; replaced by {@link #instead} when that is set. */
    private final View view = new View();
    private Response instead;

    /** Scratch of the metrics, per reply. */
    private String[] ops = new String[INITIAL_REPLIES];
    private boolean[] errors = new boolean[INITIAL_REPLIES];
    private long[] latencies = new long[INITIAL_REPLIES];

    BatchOutbox(Membership membership, RequestMetrics metrics) {
        this(membership, metrics, 0);
    }

    BatchOutbox(Membership membership, RequestMetrics metrics, long slowRequestNanos) {
        this.membership = membership;
        this.metrics = metrics;
        this.slowRequestNanos = slowRequestNanos;
    }

    /** Whether {@link #release} (or {@link #failReplies}) has run to its end: the outbox may be reused. */
    boolean released() {
        return released;
    }

    /** Makes a released (or never used) outbox empty for the next batch. */
    BatchOutbox reset(Membership membership, long slowRequestNanos) {
        this.membership = membership;
        this.slowRequestNanos = slowRequestNanos;
        Arrays.fill(repliesTo, 0, count, null);
        Arrays.fill(responses, 0, count, null);
        count = 0;
        sends.clear();
        instead = null;
        released = false;
        return this;
    }

    @Override
    public void reply(Object replyTo, Response response) {
        if (count == repliesTo.length) {
            repliesTo = Arrays.copyOf(repliesTo, count * 2);
            responses = Arrays.copyOf(responses, count * 2);
        }
        repliesTo[count] = (ClientRequest) replyTo;
        responses[count++] = response;
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
        return count == 0 && sends.isEmpty();
    }

    /**
     * Carries everything out: each connection gets its replies in one send, and the connections that send on
     * the same event loop are sent to by one task on it (one hand-off per I/O thread and batch, not one per
     * connection); then the peer requests.
     */
    void release(PeerSender peers) {
        sendGrouped();
        if (metrics != null || slowRequestNanos > 0) recordMetrics();
        for (PeerSend s : sends) peers.send(s.nodeId(), s.address(), s.correlationId(), s.request(), lamport);
        released = true;
    }

    private void recordMetrics() {
        long now = System.nanoTime();
        if (ops.length < count) {
            ops = new String[repliesTo.length];
            errors = new boolean[repliesTo.length];
            latencies = new long[repliesTo.length];
        }
        for (int i = 0; i < count; i++) {
            ClientRequest to = repliesTo[i];
            Response response = responses[i];
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

    /** The op log could not make the batch durable: every reply becomes a STORAGE error; nothing is sent. */
    void failReplies() {
        instead = new Responses.Error(ErrorCode.STORAGE, "the write could not be made durable");
        sendGrouped();
        released = true;
    }

    /**
     * Groups the replies by connection (in order within each) and sends each connection its group: at once
     * when it has no executor of its own, else gathered into one task per executor.
     */
    private void sendGrouped() {
        if (count == 0) return;
        groupByConnection();
        Map<Executor, List<Runnable>> byExecutor = null;
        for (int g = 0; g < groups.size; g++) {
            Connection connection = groups.connections[g];
            view.of(groups.starts[g], groups.sizes[g]);
            Executor executor = connection.executor();
            if (executor == null) {
                connection.send(view);
                continue;
            }
            if (byExecutor == null) byExecutor = new IdentityHashMap<>();
            ReplyBatch replies = view.copy();
            byExecutor.computeIfAbsent(executor, x -> new ArrayList<>()).add(() -> connection.send(replies));
        }
        groups.clear();
        if (byExecutor == null) return;
        for (Map.Entry<Executor, List<Runnable>> e : byExecutor.entrySet()) {
            List<Runnable> tasks = e.getValue();
            try {
                e.getKey().execute(() -> tasks.forEach(Runnable::run)); // on the event loop, each send writes at once
            } catch (RejectedExecutionException stopping) {
                // The event loop is shutting down, and its channels with it: nobody is left to answer.
            }
        }
    }

    /**
     * Fills {@link #order} and the groups: a counting sort of the reply indexes by connection, connections in
     * the order of their first reply. A run of replies to one connection (a pipelined read) is looked up once.
     */
    private void groupByConnection() {
        if (order.length < count) {
            order = new int[repliesTo.length];
            groupOf = new int[repliesTo.length];
        }
        Connection last = null;
        int lastGroup = -1;
        for (int i = 0; i < count; i++) {
            Connection connection = repliesTo[i].connection();
            if (connection != last) {
                last = connection;
                lastGroup = groups.groupOf(connection);
            }
            groupOf[i] = lastGroup;
            groups.sizes[lastGroup]++;
        }
        int start = 0;
        for (int g = 0; g < groups.size; g++) {
            groups.starts[g] = start;
            groups.next[g] = start;
            start += groups.sizes[g];
        }
        for (int i = 0; i < count; i++) order[groups.next[groupOf[i]]++] = i;
    }

    /** One connection's replies: a run of {@link #order}. Reused for every connection of every batch. */
    private final class View implements ReplyBatch {
        private int start;
        private int size;

        void of(int start, int size) {
            this.start = start;
            this.size = size;
        }

        private int index(int i) {
            if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
            return order[start + i];
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Opcode opcode(int i) {
            return repliesTo[index(i)].opcode();
        }

        @Override
        public int requestId(int i) {
            return repliesTo[index(i)].requestId();
        }

        @Override
        public Response response(int i) {
            Response response = responses[index(i)];
            return instead != null ? instead : response;
        }

        @Override
        public long lamport() {
            return lamport;
        }
    }

    /**
     * The batch's connections, numbered in the order they first appear: an open-addressing identity table
     * (connection to group number) and per group its connection, size and start in {@link #order}. Cleared
     * after each batch, keeping its arrays.
     */
    private static final class ConnectionGroups {
        private Connection[] table = new Connection[64];
        private int[] tableGroup = new int[64];
        /** Table slots in use, so that clearing touches only those. */
        private int[] used = new int[32];
        Connection[] connections = new Connection[32];
        int[] sizes = new int[32];
        int[] starts = new int[32];
        int[] next = new int[32];
        int size;

        /** The group number of {@code connection}, a new one (with size 0) the first time it is seen. */
        int groupOf(Connection connection) {
            int mask = table.length - 1;
            int slot = mix(System.identityHashCode(connection)) & mask;
            while (table[slot] != null) {
                if (table[slot] == connection) return tableGroup[slot];
                slot = (slot + 1) & mask;
            }
            if (size == connections.length) growGroups();
            table[slot] = connection;
            tableGroup[slot] = size;
            used[size] = slot;
            connections[size] = connection;
            sizes[size] = 0;
            size++;
            if (size * 2 > table.length) growTable();
            return size - 1;
        }

        void clear() {
            for (int g = 0; g < size; g++) {
                table[used[g]] = null;
                connections[g] = null;
            }
            size = 0;
        }

        private static int mix(int h) {
            return h ^ (h >>> 16) * 0x85EBCA6B;
        }

        private void growGroups() {
            int n = connections.length * 2;
            connections = Arrays.copyOf(connections, n);
            sizes = Arrays.copyOf(sizes, n);
            starts = Arrays.copyOf(starts, n);
            next = Arrays.copyOf(next, n);
            used = Arrays.copyOf(used, n);
        }

        private void growTable() {
            table = new Connection[table.length * 2];
            tableGroup = new int[table.length];
            int mask = table.length - 1;
            for (int g = 0; g < size; g++) {
                int slot = mix(System.identityHashCode(connections[g])) & mask;
                while (table[slot] != null) slot = (slot + 1) & mask;
                table[slot] = connections[g];
                tableGroup[slot] = g;
                used[g] = slot;
            }
        }
    }
}
