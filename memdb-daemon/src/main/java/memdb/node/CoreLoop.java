package memdb.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import memdb.oplog.OpLog;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The node's event loop: the one thread that owns the {@link NodeCore} (STYLE §3). I/O threads
 * {@link #submit} decoded requests into a bounded queue; the loop takes a batch, handles each request, then
 * commits the batch's op-log records once and sends the replies only after they are durable (group commit,
 * DESIGN §4): one write per reply, one flush per connection per batch.
 *
 * <p>Invariants: only the loop thread touches the core; at most {@code pendingRequestsMax} requests wait
 * (beyond that, submit says OVERLOADED); at most {@link #BATCH_REQUESTS_MAX} share a commit; after
 * {@link #close()} every request accepted before it has been answered, and submit says SHUTTING_DOWN.
 */
public final class CoreLoop implements AutoCloseable {
    public static final int BATCH_REQUESTS_MAX = 1024;
    private static final System.Logger LOG = System.getLogger(CoreLoop.class.getName());

    /** The outcome of {@link #submit}. */
    public enum Submission { ACCEPTED, OVERLOADED, SHUTTING_DOWN }

    private record Inbound(Connection connection, Envelope envelope, Request request) {}

    /** Queued by {@link #close()}: everything before it is served, then the loop ends. */
    private static final Inbound STOP = new Inbound(null, null, null);

    private final NodeCore core;
    private final OpLog opLog;
    private final BlockingQueue<Inbound> queue;
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile long lamportPublished;

    public CoreLoop(NodeCore core, OpLog opLog, int pendingRequestsMax, String threadName) {
        this.core = core;
        this.opLog = opLog;
        this.queue = new ArrayBlockingQueue<>(pendingRequestsMax + 1); // + 1: room for STOP
        this.thread = new Thread(this::run, threadName);
        this.lamportPublished = core.lamportTime();
    }

    public void start() {
        thread.start();
    }

    /** Hands a request over to the loop; never blocks. Called from I/O threads. */
    public Submission submit(Connection connection, Envelope envelope, Request request) {
        if (!accepting) return Submission.SHUTTING_DOWN;
        if (queue.remainingCapacity() <= 1) return Submission.OVERLOADED;
        return queue.offer(new Inbound(connection, envelope, request)) ? Submission.ACCEPTED : Submission.OVERLOADED;
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
        putUninterruptibly(STOP);
        joinUninterruptibly();
        refuseLeftovers();
    }

    private void run() {
        List<Inbound> batch = new ArrayList<>(BATCH_REQUESTS_MAX);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.log(Level.ERROR, "the core loop was interrupted and stops");
                return;
            }
            queue.drainTo(batch, BATCH_REQUESTS_MAX - 1);
            stopping = batch.contains(STOP);
            runBatch(batch);
            batch.clear();
        }
    }

    private void runBatch(List<Inbound> batch) {
        Map<Connection, List<Envelope>> replies = new IdentityHashMap<>();
        for (Inbound inbound : batch) {
            if (inbound == STOP) continue;
            replies.computeIfAbsent(inbound.connection(), c -> new ArrayList<>()).add(handle(inbound));
        }
        lamportPublished = core.lamportTime();
        if (replies.isEmpty()) return;
        try {
            opLog.commit(() -> replies.forEach(Connection::send));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "op log commit failed; " + batch.size() + " requests get a storage error", e);
            replies.forEach((connection, envelopes) -> connection.send(failAll(envelopes)));
        }
    }

    private Envelope handle(Inbound inbound) {
        Envelope request = inbound.envelope();
        Response response;
        try {
            response = core.handle(inbound.request(), request.lamport());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "internal error handling " + request.opcode() + " request " + request.requestId(), e);
            response = new Responses.Error(ErrorCode.INTERNAL, "internal error on the server; see its log");
        }
        return Envelope.response(request.opcode(), request.requestId(), core.lamportTime(), response);
    }

    private List<Envelope> failAll(List<Envelope> replies) {
        List<Envelope> failed = new ArrayList<>(replies.size());
        for (Envelope reply : replies) failed.add(errorReply(reply, ErrorCode.STORAGE, "the write could not be made durable"));
        return failed;
    }

    /** Answers requests that slipped in while the loop was stopping. */
    private void refuseLeftovers() {
        List<Inbound> leftovers = new ArrayList<>();
        queue.drainTo(leftovers);
        for (Inbound inbound : leftovers) {
            if (inbound == STOP) continue;
            inbound.connection().send(List.of(errorReply(inbound.envelope(), ErrorCode.SHUTTING_DOWN, "the node is shutting down")));
        }
    }

    private Envelope errorReply(Envelope about, ErrorCode code, String message) {
        return Envelope.response(about.opcode(), about.requestId(), lamportPublished, new Responses.Error(code, message));
    }

    private void putUninterruptibly(Inbound inbound) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(inbound);
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
