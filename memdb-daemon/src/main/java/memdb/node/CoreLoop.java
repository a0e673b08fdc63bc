package memdb.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import memdb.admin.RequestMetrics;
import memdb.oplog.OpLog;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The node's event loop: the one thread that owns the {@link NodeCore} (STYLE §3). I/O threads hand it
 * inputs — client and peer requests, peer answers and failures, admin queries — through a bounded
 * queue; the loop takes a batch, feeds each input to the core, ticks the core every {@link #TICK_MS},
 * then commits the batch's op-log records once and releases the batch's replies and peer requests only
 * after they are durable (group commit, DESIGN §4).
 *
 * <p>Invariants: only the loop thread touches the core; at most {@code pendingRequestsMax} client
 * requests wait (beyond that, submit says OVERLOADED; peer answers always get in, since the room kept
 * for them is never given to clients); at most {@link #BATCH_MAX} inputs share a commit; after
 * {@link #close()} every request accepted before it has been answered, and submit says SHUTTING_DOWN.
 */
public final class CoreLoop implements AutoCloseable {
    public static final int BATCH_MAX = 1024;
    public static final long TICK_MS = 10;
    /** Queue room kept for peer answers, failures and queries, which must not be refused. */
    private static final int INTERNAL_ROOM = 4096;
    private static final System.Logger LOG = System.getLogger(CoreLoop.class.getName());

    /** The outcome of {@link #submit}. */
    public enum Submission { ACCEPTED, OVERLOADED, SHUTTING_DOWN }

    private sealed interface Input permits ClientRequest, PeerResponse, PeerFailure, Query, Stop {}

    private record ClientRequest(Connection connection, Envelope envelope, Request request, long arrivedNanos) implements Input {}

    private record PeerResponse(int nodeId, long correlationId, long lamport, Response response) implements Input {}

    private record PeerFailure(int nodeId, long correlationId) implements Input {}

    private record Query(Runnable task) implements Input {}

    private record Stop() implements Input {}

    private final NodeCore core;
    private final OpLog opLog;
    private final PeerSender peers;
    private final LongSupplier nowMs;
    private final int pendingRequestsMax;
    private final BlockingQueue<Input> queue;
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile long lamportPublished;
    private long nextTickMs;
    private RingListener ringListener = (version, members) -> {};
    private long ringVersionSeen;
    private RequestMetrics requestMetrics;
    /** Replies slower than this are logged (0 = none); a live setting, read and written on the loop thread. */
    private long slowRequestNanos;

    /** Told, on the loop thread, each time the ring changes: the node records its members durably. */
    public interface RingListener {
        void ringChanged(long ringVersion, List<memdb.protocol.Member> members);
    }

    /** Records every reply's operation, outcome and latency; call before {@link #start()}. */
    public void recordRequestsInto(RequestMetrics metrics) {
        this.requestMetrics = metrics;
    }

    /** Sets the ring listener; call before {@link #start()}. */
    public void onRingChange(RingListener listener) {
        this.ringListener = listener;
        this.ringVersionSeen = core.membership().ringVersion();
    }

    public CoreLoop(NodeCore core, OpLog opLog, PeerSender peers, LongSupplier nowMs, int pendingRequestsMax, String threadName) {
        this.core = core;
        this.opLog = opLog;
        this.peers = peers;
        this.nowMs = nowMs;
        this.pendingRequestsMax = pendingRequestsMax;
        this.queue = new ArrayBlockingQueue<>(pendingRequestsMax + INTERNAL_ROOM);
        this.thread = new Thread(this::run, threadName);
        this.lamportPublished = core.lamportTime();
    }

    /** A loop on the system's monotonic clock. */
    public static LongSupplier monotonicMs() {
        return () -> System.nanoTime() / 1_000_000;
    }

    public void start() {
        thread.start();
    }

    /** Hands a client's (or peer's) request to the loop; never blocks. Called from I/O threads. */
    public Submission submit(Connection connection, Envelope envelope, Request request) {
        if (!accepting) return Submission.SHUTTING_DOWN;
        if (queue.size() >= pendingRequestsMax) return Submission.OVERLOADED;
        return queue.offer(new ClientRequest(connection, envelope, request, System.nanoTime()))
                ? Submission.ACCEPTED : Submission.OVERLOADED;
    }

    /** A peer answered a request the core sent. */
    public void submitPeerResponse(int nodeId, long correlationId, long lamport, Response response) {
        offerInternal(new PeerResponse(nodeId, correlationId, lamport, response));
    }

    /** A request the core sent to a peer failed (refused, lost, timed out). */
    public void submitPeerFailure(int nodeId, long correlationId) {
        offerInternal(new PeerFailure(nodeId, correlationId));
    }

    /** Runs {@code question} on the loop thread; for admin views. The future completes on the loop thread. */
    public <T> CompletableFuture<T> query(Function<NodeCore, T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                answer.complete(question.apply(core));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        };
        if (!offerInternal(new Query(task))) answer.completeExceptionally(ErrorCode.SHUTTING_DOWN.exception("the node is stopping"));
        return answer;
    }

    /**
     * Puts new live settings into effect on the loop thread, between two inputs: the default consistency
     * of the requests that follow, the slow-request threshold, and the op log's fsync policy and
     * compaction settings (the commit that ends the current batch already follows the new policy).
     */
    public CompletableFuture<Void> reconfigure(LiveSettings settings) {
        return query(c -> {
            c.setDefaultConsistency(settings.writeConsistency(), settings.readConsistency());
            slowRequestNanos = TimeUnit.MILLISECONDS.toNanos(settings.slowRequestMs());
            opLog.reconfigure(settings.fsync(), settings.compactionThresholdBytes(),
                    java.time.Duration.ofSeconds(settings.tombstoneGraceSeconds()));
            return null;
        });
    }

    private boolean offerInternal(Input input) {
        if (!thread.isAlive() && !accepting) return false;
        boolean offered = queue.offer(input);
        if (!offered) LOG.log(Level.WARNING, "core queue full: dropped a " + input.getClass().getSimpleName());
        return offered;
    }

    /** The core's Lamport time as of the last batch, for replies sent by other threads. */
    public long lamportTime() {
        return lamportPublished;
    }

    /** Stops taking requests, answers those already queued, and waits for the loop to end. Idempotent. */
    @Override
    public void close() {
        if (!accepting) return;
        accepting = false;
        if (!thread.isAlive()) return;
        putUninterruptibly(new Stop());
        joinUninterruptibly();
        refuseLeftovers();
    }

    private void run() {
        List<Input> batch = new ArrayList<>(BATCH_MAX);
        boolean stopping = false;
        nextTickMs = nowMs.getAsLong();
        while (!stopping) {
            try {
                Input first = queue.poll(TICK_MS, TimeUnit.MILLISECONDS);
                if (first != null) batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.log(Level.ERROR, "the core loop was interrupted and stops");
                return;
            }
            queue.drainTo(batch, BATCH_MAX - batch.size());
            stopping = batch.stream().anyMatch(input -> input instanceof Stop);
            runBatch(batch);
            batch.clear();
        }
    }

    private void runBatch(List<Input> batch) {
        long now = nowMs.getAsLong();
        BatchOutbox outbox = new BatchOutbox(core.membership(), requestMetrics, slowRequestNanos);
        for (Input input : batch) handle(input, now, outbox);
        if (now >= nextTickMs) {
            nextTickMs = now + TICK_MS;
            core.tick(now, outbox);
        }
        if (core.membership().ringVersion() != ringVersionSeen) {
            ringVersionSeen = core.membership().ringVersion();
            ringListener.ringChanged(ringVersionSeen, core.membership().digest(now));
        }
        lamportPublished = core.lamportTime();
        outbox.stamp(lamportPublished);
        boolean fsync = core.takeFsyncRequired(); // Paxos promises and accepts: on disk before answered
        if (outbox.isEmpty()) return;
        try {
            if (fsync) opLog.commitFsynced(() -> outbox.release(peers));
            else opLog.commit(() -> outbox.release(peers));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "op log commit failed; the batch's replies become storage errors", e);
            outbox.failReplies();
        }
    }

    private void handle(Input input, long now, BatchOutbox outbox) {
        try {
            if (input instanceof ClientRequest r) {
                Envelope e = r.envelope();
                core.onRequest(replyTo(r), r.request(), e.lamport(), now, outbox);
            } else if (input instanceof PeerResponse r) {
                core.onPeerResponse(r.nodeId(), r.correlationId(), r.lamport(), r.response(), now, outbox);
            } else if (input instanceof PeerFailure f) {
                core.onPeerFailure(f.nodeId(), f.correlationId(), now, outbox);
            } else if (input instanceof Query q) {
                q.task().run();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "internal error in the core handling " + input.getClass().getSimpleName(), e);
            if (input instanceof ClientRequest r) {
                outbox.reply(replyTo(r), new Responses.Error(ErrorCode.INTERNAL, "internal error on the server; see its log"));
            }
        }
    }

    private static BatchOutbox.ReplyTo replyTo(ClientRequest r) {
        return new BatchOutbox.ReplyTo(r.connection(), r.envelope().opcode(), r.envelope().requestId(), r.arrivedNanos(),
                SlowRequestLog.keyBytes(r.request()));
    }

    /** Answers requests that slipped in while the loop was stopping. */
    private void refuseLeftovers() {
        List<Input> leftovers = new ArrayList<>();
        queue.drainTo(leftovers);
        for (Input input : leftovers) {
            if (input instanceof ClientRequest r) {
                Envelope e = r.envelope();
                r.connection().send(List.of(Envelope.response(e.opcode(), e.requestId(), lamportPublished,
                        new Responses.Error(ErrorCode.SHUTTING_DOWN, "the node is shutting down"))));
            } else if (input instanceof Query q) {
                q.task().run();
            }
        }
    }

    private void putUninterruptibly(Input input) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(input);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
