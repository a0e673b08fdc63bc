package memdb.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import memdb.protocol.Envelope;
import memdb.protocol.FrameCodec;
import memdb.protocol.MemDbException;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The client's one pipelined connection to one node. Requests from any thread are handed to the
 * connection's event loop, which owns all of its state (no locks): it connects lazily, sends AUTH before
 * anything else, writes up to {@code inFlightRequestsMax} requests without waiting for answers, and
 * matches answers to requests by request id, in whatever order they arrive.
 *
 * <p>Costs per request are kept flat for deep pipelines (docs/performance.md, "Session 5: native pipelining"):
 * requests are written in batches (those released while answers are read go out at the end of the read,
 * the others from one write task), encoded into one buffer per batch with one flush; the calls in flight
 * are found by request id in an {@link InFlightCalls} table; and their timeouts share one timer per
 * connection ({@link CallTimeouts}) instead of one scheduled task each.
 *
 * <p>States: IDLE -> CONNECTING -> AUTHENTICATING -> READY, back to IDLE when the connection fails or
 * drops (the next request reconnects), CLOSED for good after {@link #close()}.
 *
 * <p>Invariants: every call submitted is completed exactly once, by its answer, an error frame, its
 * timeout, or the failure of the connection; {@code inFlight} holds only written, unanswered calls and
 * never more than {@code inFlightRequestsMax}; {@code queued} never holds more than
 * {@code queuedRequestsMax}; nothing but AUTH is written before the node has accepted AUTH.
 */
final class NodeConnection {
    private enum State { IDLE, CONNECTING, AUTHENTICATING, READY, CLOSED }

    /** After a failed connect the node counts as unreachable this long, so failover tries others first. */
    private static final long UNREACHABLE_HOLD_DOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A write batch is written once it holds this many bytes (a new one starts), so batches stay small. */
    private static final int WRITE_BATCH_BYTES = 64 * 1024;
    private static final int WRITE_BATCH_INITIAL_BYTES = 512;

    private final NodeAddress address;
    private final EventLoop loop;
    private final NettyTransport transport;
    private final ClientConfig config;
    private final ClientClock clock;

    // Owned by the event loop.
    private State state = State.IDLE;
    private Channel channel;
    private final ArrayDeque<Call> queued = new ArrayDeque<>();
    private final InFlightCalls inFlight = new InFlightCalls();
    private final CallTimeouts timeouts;
    /** True while answers are being read: requests they release are written at the end of the read. */
    private boolean reading;
    /** True while a task that writes the queued calls is waiting on the loop. */
    private boolean writeScheduled;
    /** Read from any thread: when the last connect failed (System.nanoTime), or 0 once one succeeds. */
    private volatile long lastConnectFailureNanos;

    NodeConnection(NodeAddress address, NettyTransport transport, ClientConfig config, ClientClock clock) {
        this.address = address;
        this.loop = transport.nextLoop();
        this.transport = transport;
        this.config = config;
        this.clock = clock;
        this.timeouts = new CallTimeouts(config.requestTimeout().toNanos(), System::nanoTime,
                (task, delayNanos) -> loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS), this::timeOut);
    }

    NodeAddress address() {
        return address;
    }

    /** True when the last connect attempt failed within the hold-down period. */
    boolean recentlyUnreachable() {
        long failedAt = lastConnectFailureNanos;
        return failedAt != 0 && System.nanoTime() - failedAt < UNREACHABLE_HOLD_DOWN_NANOS;
    }

    /**
     * Sends the call's request (from any thread); its result completes on the event loop. On the loop
     * itself the call is queued at once rather than behind tasks already waiting there, so a request
     * released by a callback (one that waited for the cluster view, or a failover) keeps its place ahead
     * of requests the application made after it.
     */
    void submit(Call call) {
        if (loop.inEventLoop()) {
            enqueue(call);
            return;
        }
        try {
            loop.execute(() -> enqueue(call));
        } catch (RejectedExecutionException e) {
            call.fail(Failures.clientClosed());
        }
    }

    /** Fails every pending call and closes the socket; later submissions fail at once. */
    void close() {
        try {
            loop.execute(() -> {
                state = State.CLOSED;
                disconnect(Failures.clientClosed());
            });
        } catch (RejectedExecutionException e) {
            // The event loop is already gone, and with it every call: nothing left to fail.
        }
    }

    private void enqueue(Call call) {
        if (state == State.CLOSED) {
            call.fail(Failures.clientClosed());
            return;
        }
        if (queued.size() >= config.queuedRequestsMax()) {
            call.fail(Failures.overloaded(address, queued.size()));
            return;
        }
        timeouts.start(call);
        queued.add(call);
        if (state == State.IDLE) connect();
        else requestWrite();
    }

    private void connect() {
        state = State.CONNECTING;
        ResponseHandler handler = new ResponseHandler();
        ChannelFuture connecting = transport.connect(address, config.localHost(), loop, config.connectTimeout(), config.tls(),
                config.requestTimeout(), handler);
        channel = connecting.channel();
        connecting.addListener(done -> {
            if (channel != connecting.channel() || state != State.CONNECTING) return;
            if (done.isSuccess()) {
                lastConnectFailureNanos = 0;
                authenticate();
            } else {
                lastConnectFailureNanos = System.nanoTime() | 1; // never 0, which means "no failure"
                disconnect(Failures.unreachable(address, done.cause()));
            }
        });
    }

    private void authenticate() {
        state = State.AUTHENTICATING;
        Call auth = new Call(new Requests.Auth(config.authKey()));
        timeouts.start(auth);
        Channel authenticating = channel;
        auth.result().whenComplete((response, failure) -> {
            if (channel != authenticating) return;
            if (failure == null && response instanceof Responses.Authenticated) {
                state = State.READY;
                writeQueued();
            } else {
                disconnect(failure instanceof MemDbException e ? e
                        : Failures.protocolViolation(address, "AUTH was answered with " + response));
            }
        });
        write(auth);
        channel.flush();
    }

    /**
     * Writes the queued calls soon, in one batch: at the end of the current read when answers are being read
     * (their callbacks send the next requests), otherwise from one task queued behind the submissions
     * already waiting on the loop. One write and one flush per batch, not per request.
     */
    private void requestWrite() {
        if (reading || writeScheduled) return;
        writeScheduled = true;
        try {
            loop.execute(() -> {
                writeScheduled = false;
                writeQueued();
            });
        } catch (RejectedExecutionException e) {
            writeScheduled = false; // the loop is shutting down; close() fails every queued call
        }
    }

    /**
     * Writes queued calls while in-flight slots are free, skipping calls that already timed out: each is
     * encoded into a shared buffer, written when it reaches {@link #WRITE_BATCH_BYTES} and at the end, then
     * one flush. A call that cannot be encoded fails alone.
     */
    private void writeQueued() {
        if (state != State.READY || queued.isEmpty()) return;
        ByteBuf batch = null;
        List<Call> batchCalls = null;
        boolean wrote = false;
        while (inFlight.size() < config.inFlightRequestsMax() && !queued.isEmpty()) {
            Call call = queued.poll();
            if (call.isDone()) continue;
            if (batch == null) {
                batch = channel.alloc().ioBuffer(WRITE_BATCH_INITIAL_BYTES);
                batchCalls = new ArrayList<>();
            }
            if (!encode(call, batch)) continue;
            batchCalls.add(call);
            if (batch.readableBytes() >= WRITE_BATCH_BYTES) {
                wrote |= writeBatch(batch, batchCalls);
                batch = null;
            }
        }
        if (batch != null) wrote |= writeBatch(batch, batchCalls);
        if (wrote) channel.flush();
    }

    /** Encodes the call's request into {@code batch} under a fresh request id; false (the call failed) if it cannot be. */
    private boolean encode(Call call, ByteBuf batch) {
        int requestId = inFlight.add(call);
        try {
            FrameCodec.encodeRequest(requestId, clock.highestSeen(), call.request(), batch);
            return true;
        } catch (RuntimeException e) {
            inFlight.remove(requestId, call);
            call.fail(Failures.connectionFailed(address, e));
            return false;
        }
    }

    /**
     * Writes one batch (false, and releases it, when it holds no call); if the write fails, its calls still
     * waiting for an answer fail (and the connection closes).
     */
    private boolean writeBatch(ByteBuf batch, List<Call> calls) {
        if (calls.isEmpty()) {
            batch.release();
            return false;
        }
        channel.write(batch).addListener(written -> {
            if (written.isSuccess()) return;
            for (Call call : calls) {
                if (inFlight.remove(call.requestId(), call)) call.fail(Failures.connectionFailed(address, written.cause()));
            }
        });
        return true;
    }

    /** Writes one call alone, now (AUTH, before the connection is READY). */
    private void write(Call call) {
        ByteBuf frame = channel.alloc().ioBuffer(WRITE_BATCH_INITIAL_BYTES);
        writeBatch(frame, encode(call, frame) ? List.of(call) : List.of());
    }

    private void onEnvelope(Envelope envelope) {
        observeTime(envelope);
        if (!envelope.isResponse()) {
            disconnect(Failures.protocolViolation(address, "it sent a " + envelope.opcode() + " request to a client"));
            return;
        }
        Call call = inFlight.remove(envelope.requestId());
        if (call == null) {
            // A late answer to a call that timed out is dropped. An error the node could not attribute to a
            // request (it could not read our frame) ends the connection, as the node closes it too.
            if (envelope.requestId() == InFlightCalls.UNATTRIBUTED_REQUEST_ID && envelope.message() instanceof Responses.Error error) {
                disconnect(error.toException());
            }
            return;
        }
        if (envelope.opcode() != call.request().opcode()) {
            call.fail(Failures.protocolViolation(address,
                    "it answered a " + call.request().opcode() + " request with " + envelope.opcode()));
        } else if (envelope.message() instanceof Responses.Error error) {
            call.markAnswered();
            call.fail(error.toException());
        } else {
            call.succeed((Response) envelope.message());
        }
        requestWrite();
    }

    /** The sender's clock, and the versions it reports: everything the client has now observed. */
    private void observeTime(Envelope envelope) {
        clock.observe(envelope.lamport());
        if (envelope.message() instanceof Responses.Value value) clock.observe(value.timestamp().lamport());
        if (envelope.message() instanceof Responses.Written written) clock.observe(written.timestamp().lamport());
    }

    private void timeOut(Call call) {
        if (call.isDone()) return;
        if (call.written()) inFlight.remove(call.requestId(), call);
        call.fail(Failures.timedOut(address, config.requestTimeout()));
        requestWrite();
    }

    /** Drops the connection, failing every queued and in-flight call with {@code failure}. */
    private void disconnect(MemDbException failure) {
        if (state != State.CLOSED) state = State.IDLE;
        reading = false;
        Channel dropped = channel;
        channel = null;
        List<Call> pending = new ArrayList<>(queued);
        pending.addAll(inFlight.removeAll());
        queued.clear();
        for (Call call : pending) call.fail(failure);
        if (dropped != null) dropped.close();
    }

    /** The end of one channel's pipeline; events from a channel that is no longer current are ignored. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        /** Only envelopes come here (the decoder makes nothing else); a plain instanceof, no type matcher. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof Envelope envelope)) {
                ctx.fireChannelRead(message);
                return;
            }
            if (ctx.channel() != channel) return;
            reading = true;
            onEnvelope(envelope);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) return;
            reading = false;
            writeQueued();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) disconnect(Failures.connectionLost(address));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) disconnect(Failures.connectionFailed(address, cause));
            else ctx.close();
        }
    }
}
