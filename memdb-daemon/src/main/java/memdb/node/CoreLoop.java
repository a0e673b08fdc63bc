package memdb.node;

import java.lang.System.Logger.Level;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import memdb.admin.RequestMetrics;
import memdb.net.IoTransport;
import memdb.oplog.OpLog;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The node's core loop: the one thread that owns the {@link NodeCore} (STYLE §3). That thread is a
 * single-thread Netty event loop which, in a node, also serves the client and RESP channels (the Redis
 * model): a request read on one of them is handed to the core by a plain method call on the same thread,
 * and its reply is written by that thread too, with no hand-off. Inputs from other threads — peer answers
 * and failures (the peer client has its own event loops), admin queries, channels served elsewhere, tests —
 * arrive as tasks on the loop ({@code execute}: Netty's queue and wake-up).
 *
 * <p>Batching: an input is added to the current batch; the first one of a batch schedules one "run the
 * batch" task, which Netty runs after it has handled this round's ready I/O events, so whatever was read in
 * one round shares one commit (Redis's AOF write before it sleeps). A batch feeds each input to the core,
 * ticks the core every {@link #TICK_MS} (a timer on the loop also runs an empty batch for the tick), commits
 * the batch's op-log records once and releases the batch's replies and peer requests only after they are
 * durable (group commit, DESIGN §4). Nothing on this thread may block: no waiting on a future, no sleep
 * (the waits are the op log's: its back-pressure, when its writer falls behind under fsync=always, which
 * stalls the core and so, by design, the reading of more requests; and a commit whose records the log's writer
 * took and is writing, a write's microseconds). A batch's {@link BatchOutbox} is reused
 * by the next batch once released, so that a batch allocates nothing for its replies beyond what the core
 * makes (fewer young collections, which stop this thread).
 *
 * <p>Invariants: only the loop thread touches the core; at most {@code pendingRequestsMax} client
 * requests wait (beyond that, submit says OVERLOADED; peer answers, failures and queries are never
 * refused); at most {@link #BATCH_MAX} inputs share a commit; after {@link #close()} every request accepted
 * before it has been answered, and submit says SHUTTING_DOWN. Inputs handed over before {@link #start()}
 * wait for it.
 */
public final class CoreLoop implements AutoCloseable {
    public static final int BATCH_MAX = 1024;
    public static final long TICK_MS = 10;
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
    private static final System.Logger LOG = System.getLogger(CoreLoop.class.getName());

    /** The outcome of {@link #submit}. */
    public enum Submission { ACCEPTED, OVERLOADED, SHUTTING_DOWN }

    /** What the loop feeds to the core; a client's request is a {@link ClientRequest}. */
    sealed interface Input permits ClientRequest, PeerResponse, PeerFailure, Query {}

    private record PeerResponse(int nodeId, long correlationId, long lamport, Response response) implements Input {}

    private record PeerFailure(int nodeId, long correlationId) implements Input {}

    private record Query(Runnable task) implements Input {}

    private final NodeCore core;
    private final OpLog opLog;
    private final PeerSender peers;
    private final LongSupplier nowMs;
    private final int pendingRequestsMax;
    private final EventLoop eventLoop;
    /** The group the loop came from when the loop made it itself (shut down by close), else null. */
    private final EventLoopGroup ownGroup;
    /** Client requests accepted and not yet fed to the core, whichever thread handed them over. */
    private final AtomicInteger clientRequestsWaiting = new AtomicInteger();
    /** The inputs of the next batch; the loop thread's only. */
    private final ArrayDeque<Input> batch = new ArrayDeque<>();
    private final Runnable runBatches = () -> runScheduledBatch(false);
    private final Runnable tick = () -> runScheduledBatch(true);
    /** The last batch's outbox once released, for the next batch to reuse (its arrays); the loop thread's only. */
    private BatchOutbox spareOutbox;
    /** Whether a "run the batch" task is on the loop's queue; the loop thread's only. */
    private boolean batchScheduled;
    /** Set on the loop thread by start; before it, inputs wait in the batch. */
    private boolean started;
    private volatile boolean accepting = true;
    /** Set on the loop thread once close has run the last batch: later inputs are refused or dropped. */
    private volatile boolean stopped;
    private ScheduledFuture<?> ticker;
    private volatile long lamportPublished;
    private long nextTickMs;
    private RingListener ringListener = (version, members) -> {};
    private long ringVersionSeen;
    private RequestMetrics requestMetrics;
    /** The connection of the last request handed over on the loop thread since the last batch ran, and when it arrived; the loop thread's only. */
    private Connection lastArrivalFrom;
    private long lastArrivalNanos;
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

    /**
     * A loop on an event loop of its own, on a thread named {@code threadName}, which {@link #close()}
     * stops (tests, and a core whose channels are served elsewhere).
     */
    public CoreLoop(NodeCore core, OpLog opLog, PeerSender peers, LongSupplier nowMs, int pendingRequestsMax, String threadName) {
        this(core, opLog, peers, nowMs, pendingRequestsMax, IoTransport.detect().newGroup(1, threadName), true);
    }

    /**
     * A loop on {@code eventLoop}, which the caller owns and stops after {@link #close()} (a node: the loop
     * that also serves its channels, which must outlive the core so that the last replies reach them).
     */
    public CoreLoop(NodeCore core, OpLog opLog, PeerSender peers, LongSupplier nowMs, int pendingRequestsMax, EventLoop eventLoop) {
        this(core, opLog, peers, nowMs, pendingRequestsMax, eventLoop, false);
    }

    private CoreLoop(NodeCore core, OpLog opLog, PeerSender peers, LongSupplier nowMs, int pendingRequestsMax,
                     EventLoopGroup group, boolean owned) {
        this.core = core;
        this.opLog = opLog;
        this.peers = peers;
        this.nowMs = nowMs;
        this.pendingRequestsMax = pendingRequestsMax;
        this.eventLoop = group instanceof EventLoop loop ? loop : group.next();
        this.ownGroup = owned ? group : null;
        this.lamportPublished = core.lamportTime();
    }

    /** A loop on the system's monotonic clock. */
    public static LongSupplier monotonicMs() {
        return () -> System.nanoTime() / 1_000_000;
    }

    /** The event loop the core runs on: a node registers its client channels on it. */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    /** Starts feeding inputs to the core (those handed over before now go first) and ticking it. */
    public void start() {
        onLoop(() -> {
            if (stopped || started) return;
            started = true;
            nextTickMs = nowMs.getAsLong();
            ticker = eventLoop.scheduleAtFixedRate(tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            if (!batch.isEmpty()) scheduleBatch();
        });
    }

    /**
     * Hands a client's (or peer's) request to the loop; never blocks. On the loop thread (a channel the loop
     * serves) the request joins the current batch at once; from any other thread it arrives as a task.
     */
    public Submission submit(Connection connection, Envelope envelope, Request request) {
        return submit(connection, envelope.requestId(), envelope.lamport(), request);
    }

    /**
     * As {@link #submit(Connection, Envelope, Request)}, for a request that arrived without an envelope of its
     * own (a RESP command): its reply's envelope carries {@code requestId}; {@code lamport} is the sender's time.
     */
    public Submission submit(Connection connection, int requestId, long lamport, Request request) {
        if (!accepting) return Submission.SHUTTING_DOWN;
        if (clientRequestsWaiting.incrementAndGet() > pendingRequestsMax) {
            clientRequestsWaiting.decrementAndGet();
            return Submission.OVERLOADED;
        }
        if (handOver(new ClientRequest(connection, requestId, lamport, request, arrivalNanos(connection)))) return Submission.ACCEPTED;
        clientRequestsWaiting.decrementAndGet();
        return Submission.SHUTTING_DOWN;
    }

    /**
     * When a request from {@code connection} arrived. On the loop thread, a request that follows one from the
     * same connection since the last batch ran shares its time: in practice they came in one read (a pipeline),
     * as the batch runs after each round of reads; one clock read per read, not per request (at -P 16 the clock
     * was ~3% of the node's CPU).
     */
    private long arrivalNanos(Connection connection) {
        if (!eventLoop.inEventLoop()) return System.nanoTime();
        if (connection != lastArrivalFrom) {
            lastArrivalFrom = connection;
            lastArrivalNanos = System.nanoTime();
        }
        return lastArrivalNanos;
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

    /** An input that is never refused while the loop runs; false once the loop has stopped. */
    private boolean offerInternal(Input input) {
        return !stopped && handOver(input);
    }

    /** Gives {@code input} to the loop: at once on the loop thread, else as a task; false when the loop is gone. */
    private boolean handOver(Input input) {
        if (eventLoop.inEventLoop()) {
            accept(input);
            return true;
        }
        try {
            eventLoop.execute(() -> accept(input));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The core's Lamport time as of the last batch, for replies sent by other threads. */
    public long lamportTime() {
        return lamportPublished;
    }

    /**
     * Stops taking requests, answers those already accepted (in batches of at most {@link #BATCH_MAX}, each
     * committed), and returns once they are; then stops the loop's own event loop, if it made one.
     * Idempotent; on the loop thread itself it does the same without waiting.
     */
    @Override
    public void close() {
        if (!accepting) return;
        accepting = false;
        boolean onLoop = eventLoop.inEventLoop();
        if (onLoop) {
            stopCore();
        } else {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                eventLoop.execute(() -> {
                    stopCore();
                    done.complete(null);
                });
            } catch (RejectedExecutionException e) {
                stopped = true; // the event loop is already gone: nothing more can run on it
                done.complete(null);
            }
            awaitUninterruptibly(done);
        }
        if (ownGroup != null) {
            io.netty.util.concurrent.Future<?> terminated = ownGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!onLoop) terminated.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2); // the loop cannot wait for its own end
        }
    }

    /** The last batches, on the loop thread: everything accepted is fed to the core and committed. */
    private void stopCore() {
        while (!batch.isEmpty()) runBatch(false);
        stopped = true;
        if (ticker != null) ticker.cancel(false);
    }

    /** Runs {@code task} on the loop thread: now when called there, else as a task. */
    private void onLoop(Runnable task) {
        if (eventLoop.inEventLoop()) task.run();
        else eventLoop.execute(task);
    }

    /** On the loop thread: an input joins the current batch (or, after close, is refused or dropped). */
    private void accept(Input input) {
        if (stopped) {
            refuse(input);
            return;
        }
        batch.add(input);
        if (started && !batchScheduled) scheduleBatch();
    }

    private void scheduleBatch() {
        batchScheduled = true;
        eventLoop.execute(runBatches);
    }

    /** The "run the batch" task, and the tick timer's: one batch, and another task for what is left over. */
    private void runScheduledBatch(boolean tickDue) {
        if (!tickDue) batchScheduled = false;
        if (stopped) return;
        runBatch(tickDue);
        if (!batch.isEmpty() && !batchScheduled) scheduleBatch();
    }

    /** Feeds at most {@link #BATCH_MAX} inputs to the core, ticks it when due, and commits once. */
    private void runBatch(boolean tickDue) {
        long now = nowMs.getAsLong();
        lastArrivalFrom = null; // what arrives from now on came in a later read
        BatchOutbox outbox = spareOutbox != null ? spareOutbox.reset(core.membership(), slowRequestNanos)
                : new BatchOutbox(core.membership(), requestMetrics, slowRequestNanos);
        spareOutbox = null; // a batch run from within this one's release (a close) makes its own
        int clientRequests = 0;
        for (int i = 0; i < BATCH_MAX && !batch.isEmpty(); i++) {
            Input input = batch.poll();
            if (input instanceof ClientRequest) clientRequests++;
            handle(input, now, outbox);
        }
        if (clientRequests > 0) clientRequestsWaiting.addAndGet(-clientRequests); // one atomic per batch, not per request
        if (tickDue || now >= nextTickMs) {
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
        opLog.endBatch(); // every record of this batch is appended; the next batch's carry a fresh wall time
        if (outbox.isEmpty()) {
            spareOutbox = outbox;
            return;
        }
        try {
            if (fsync) opLog.commitFsynced(() -> outbox.release(peers));
            else opLog.commit(() -> outbox.release(peers));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "op log commit failed; the batch's replies become storage errors", e);
            outbox.failReplies();
        }
        // Released already (the commit's callback ran here: fsync=no or everysec): the next batch reuses it.
        // Released later by the log's writer thread: left to it, and the next batch makes its own.
        if (outbox.released()) spareOutbox = outbox;
    }

    private void handle(Input input, long now, BatchOutbox outbox) {
        try {
            if (input instanceof ClientRequest r) {
                if (answerOnly(r.request()) && !r.connection().isOpen()) return; // nobody is left to read the answer
                core.onRequest(r, r.request(), r.lamport(), now, outbox);
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
                outbox.reply(r, new Responses.Error(ErrorCode.INTERNAL, "internal error on the server; see its log"));
            }
        }
    }

    /** A request whose only effect is its answer (a read: a QUORUM read's repair is left to the next read or to anti-entropy). */
    private static boolean answerOnly(Request request) {
        return request instanceof Requests.Get || request instanceof Requests.Contains || request instanceof Requests.Ping;
    }

    /** An input that arrived after the last batch: a client request is answered SHUTTING_DOWN, a query still runs. */
    private void refuse(Input input) {
        if (input instanceof ClientRequest r) {
            clientRequestsWaiting.decrementAndGet();
            r.connection().send(ReplyBatch.of(r.opcode(), r.requestId(), lamportPublished,
                    new Responses.Error(ErrorCode.SHUTTING_DOWN, "the node is shutting down")));
        } else if (input instanceof Query q) {
            q.task().run();
        }
    }

    private static void awaitUninterruptibly(CompletableFuture<Void> done) {
        boolean interrupted = false;
        while (true) {
            try {
                done.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
