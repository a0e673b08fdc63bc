package memdb.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import memdb.auth.AuthThrottle;
import memdb.net.FlowControl;
import memdb.node.Connection;
import memdb.node.CoreLoop;
import memdb.node.ReplyBatch;
import memdb.protocol.ErrorCode;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The last stage of a RESP channel: each command, handed over by the channel's {@link RespDecoder} as soon as it
 * is decoded ({@link #command}, not through the pipeline), goes through the connection's {@link RespSession},
 * which tells this handler (its {@link RespSession.Outcome}) what to do: a reply it can give at once, or
 * native requests for the core (one per key, each with its own request id) whose responses make the reply
 * when all of them are back.
 *
 * <p>Invariants: replies leave in the order the commands came (RESP has no request ids: a pipelined client
 * matches replies by position), so a command whose reply cannot be given at once takes a {@link Slot} in a
 * queue and only the finished slots at its head are written; a reply given at once with nothing owed before
 * it skips the queue. Each slot counts as in flight in the channel's {@link FlowControl} until its reply is
 * written, so reading pauses while max-pending-per-connection commands wait or while the client does not
 * read its replies; after QUIT, a wrong key or a protocol error, nothing more is read, the replies owed
 * are written, then the channel closes. A wrong key's reply waits for the {@link AuthThrottle}'s delay for
 * the remote address (as on the native port). Bad input never escapes as anything else. A client that hung
 * up: every command decoded from what it sent is handled as usual, even once the channel is inactive, and the
 * {@link CoreLoop} owns the rule for it, the same as on the native port ({@code memdb.net.ClientHandler}): it
 * skips the reads of a closed connection ({@link Connection#isOpen}: GET, CONTAINS, PING) and applies its
 * writes (pipelined SETs followed by a hang-up are applied, as with Redis).
 *
 * <p>Cost: the replies are encoded into one buffer, written (with no promise to complete) and flushed once
 * per read from the socket and once per batch of responses from the core, not once per command. A command
 * of one request (GET, SET, INCR) costs one slot, which is also its entry in the table of requests in flight.
 * Everything but {@link Connection#send} runs on the channel's event loop; send hops onto it when called elsewhere.
 */
final class RespHandler extends ChannelInboundHandlerAdapter implements RespSession.Outcome {
    private static final System.Logger LOG = System.getLogger(RespHandler.class.getName());

    /** One command's place in the reply order: finished once {@link #reply} is set. */
    private static class Slot {
        RespReply reply;
        final boolean thenClose;

        Slot(RespReply reply, boolean thenClose) {
            this.reply = reply;
            this.thenClose = thenClose;
        }

        /** The core's response to the request with {@code requestId}, one of this command's. */
        void fill(int requestId, Response response) {
            throw new IllegalStateException("a reply given at once has no requests");
        }
    }

    /** A command of one request: the slot is its entry in the requests in flight, too. */
    private static final class OneRequest extends Slot {
        private final Function<Response, RespReply> makeReply;

        OneRequest(Function<Response, RespReply> makeReply) {
            super(null, false);
            this.makeReply = makeReply;
        }

        @Override
        void fill(int requestId, Response response) {
            reply = makeReply.apply(response);
        }
    }

    /** A command of several requests, whose ids follow one another from {@link #firstRequestId}. */
    private static final class ManyRequests extends Slot {
        private final Response[] responses;
        private final Function<Response[], RespReply> combine;
        /** Set before any of its requests goes to the core. */
        private int firstRequestId;
        private int missing;

        ManyRequests(int requests, Function<Response[], RespReply> combine) {
            super(null, false);
            this.responses = new Response[requests];
            this.missing = requests;
            this.combine = combine;
        }

        @Override
        void fill(int requestId, Response response) {
            responses[requestId - firstRequestId] = response;
            if (--missing == 0) reply = combine.apply(responses);
        }
    }

    private final RespSession session;
    private final RequestSink core;
    private final FlowControl flow;
    /** Slows down key guessing; shared by the node's client ports. */
    private final AuthThrottle throttle;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /** The native requests in flight at the core, by request id (handed out here, one after the other): their commands' slots. */
    private final InFlight<Slot> inFlight = new InFlight<>(1);
    private ChannelHandlerContext ctx;
    private Connection replies;
    /** Replies encoded and not yet written to the channel; null when there are none. */
    private ByteBuf out;
    /** Whether the session gave its outcome for the command being handled. */
    private boolean outcomeGiven;

    RespHandler(RespSession session, RequestSink core, FlowControl flow) {
        this(session, core, flow, new AuthThrottle());
    }

    RespHandler(RespSession session, RequestSink core, FlowControl flow, AuthThrottle throttle) {
        this.session = session;
        this.core = core;
        this.flow = flow;
        this.throttle = throttle;
    }

    /** Set once the channel is to close after the replies owed: nothing more is read. */
    private boolean closing() {
        return flow.stopped();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.replies = new CoreReplies(ctx.channel());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    /** One decoded command, handed over by the channel's decoder, on the channel's event loop. */
    void command(RespCommand command) {
        if (closing()) return;
        boolean wasAuthenticated = session.isAuthenticated();
        outcomeGiven = false;
        try {
            session.handle(command, this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error handling a RESP command from " + ctx.channel().remoteAddress(), e);
            if (!outcomeGiven) reply(RespReply.Error.err("internal error on the server; see its log"), false);
        }
        if (!wasAuthenticated && session.isAuthenticated()) throttle.succeeded(AuthThrottle.addressOf(ctx.channel().remoteAddress()));
        writeFinished();
    }

    /** The session's invariant, checked always: one outcome per command (a second would shift every later reply). */
    private void markOutcome() {
        if (outcomeGiven) throw new IllegalStateException("a second outcome for one RESP command");
        outcomeGiven = true;
    }

    @Override
    public void reply(RespReply reply, boolean thenClose) {
        markOutcome();
        if (slots.isEmpty() && !thenClose) encode(reply); // nothing owed before it: its turn is now
        else enqueue(new Slot(reply, thenClose));
    }

    /**
     * A wrong key: its reply takes its slot in the reply order and closes the channel, but is filled in only
     * after the throttle's delay for the remote address (scheduled on the event loop, never slept on);
     * nothing more is read meanwhile ({@link FlowControl#stop}, the one owner of the read switch).
     */
    @Override
    public void wrongKey() {
        markOutcome();
        long delayMs = throttle.failed(AuthThrottle.addressOf(ctx.channel().remoteAddress()), System.nanoTime() / 1_000_000);
        Slot slot = new Slot(null, true);
        enqueue(slot);
        if (delayMs > 0) LOG.log(Level.INFO, "failed RESP authentication from " + ctx.channel().remoteAddress() + "; answering in " + delayMs + " ms");
        ctx.executor().schedule(() -> {
            slot.reply = RespErrors.WRONGPASS;
            writeFinished();
            writeReplies();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void submit(Request request, Function<Response, RespReply> makeReply) {
        markOutcome();
        OneRequest slot = new OneRequest(makeReply);
        enqueue(slot);
        submit(slot, inFlight.add(slot), request);
    }

    /** The requests' ids are handed out before the first goes to the core, which may answer it at once. */
    @Override
    public void submit(Request[] requests, Function<Response[], RespReply> combine) {
        markOutcome();
        ManyRequests slot = new ManyRequests(requests.length, combine);
        enqueue(slot);
        slot.firstRequestId = inFlight.add(slot);
        for (int i = 1; i < requests.length; i++) inFlight.add(slot);
        for (int i = 0; i < requests.length; i++) submit(slot, slot.firstRequestId + i, requests[i]);
    }

    /** Hands {@code request}, one of {@code slot}'s, to the core; a refusal is its response at once. */
    private void submit(Slot slot, int requestId, Request request) {
        CoreLoop.Submission submission = core.submit(replies, requestId, core.lamportTime(), request);
        if (submission != CoreLoop.Submission.ACCEPTED && inFlight.remove(requestId) != null) {
            slot.fill(requestId, refusal(submission));
        }
    }

    private static Response refusal(CoreLoop.Submission submission) {
        return submission == CoreLoop.Submission.OVERLOADED
                ? new Responses.Error(ErrorCode.OVERLOADED, "the node is overloaded; retry later")
                : new Responses.Error(ErrorCode.SHUTTING_DOWN, "the node is shutting down");
    }

    private void enqueue(Slot slot) {
        slots.add(slot);
        flow.requestIn();
        if (slot.thenClose) flow.stop();
    }

    /**
     * Encodes the finished replies at the head of the queue (written by {@link #writeReplies}) and counts them
     * out of the flow control in one go; after a closing one, closes.
     */
    private void writeFinished() {
        int finished = 0;
        while (!slots.isEmpty() && slots.peek().reply != null) {
            Slot slot = slots.poll();
            finished++;
            encode(slot.reply);
            if (slot.thenClose) {
                flow.repliesOut(finished);
                ByteBuf last = takeReplies();
                ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
                slots.clear();
                inFlight.clear();
                return;
            }
        }
        if (finished > 0) flow.repliesOut(finished);
    }

    private void encode(RespReply reply) {
        if (out == null) out = ctx.alloc().ioBuffer();
        reply.encode(out);
    }

    /** Writes and flushes the replies encoded so far, if any: one write, and no promise to complete. */
    private void writeReplies() {
        if (out != null) ctx.writeAndFlush(takeReplies(), ctx.voidPromise());
    }

    /** The replies encoded so far, which the caller writes (taken first: writing may close the channel, which releases {@link #out}). */
    private ByteBuf takeReplies() {
        ByteBuf replies = out;
        out = null;
        return replies;
    }

    /** Responses from the core, on the event loop. */
    private void onResponses(ReplyBatch responses) {
        int n = responses.size();
        for (int i = 0; i < n; i++) {
            int requestId = responses.requestId(i);
            Slot slot = inFlight.remove(requestId);
            if (slot != null) slot.fill(requestId, responses.response(i));
        }
        writeFinished();
        writeReplies();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writeReplies();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing()) return;
        switch (flow.failed(ctx, cause, RespProtocolException.class)) {
            case PROTOCOL -> enqueue(new Slot(RespReply.Error.err("Protocol error: " + cause.getCause().getMessage()), true));
            case CONNECTION -> {
                ctx.close();
                return;
            }
            case UNEXPECTED -> enqueue(new Slot(RespReply.Error.err("internal error on the server; see its log"), true));
        }
        writeFinished();
        writeReplies();
    }

    /** The core's way back to this channel: at once on the channel's event loop (the core's own, in a node), else hops onto it. */
    private final class CoreReplies implements Connection {
        private final Channel channel;

        CoreReplies(Channel channel) {
            this.channel = channel;
        }

        @Override
        public boolean isOpen() {
            return channel.isActive();
        }

        @Override
        public java.util.concurrent.Executor executor() {
            return channel.eventLoop().inEventLoop() ? null : channel.eventLoop();
        }

        @Override
        public void send(ReplyBatch responses) {
            if (channel.eventLoop().inEventLoop()) {
                onResponses(responses);
                return;
            }
            ReplyBatch kept = responses.copy(); // the batch given may be valid during this call only
            try {
                channel.eventLoop().execute(() -> onResponses(kept));
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down, and the channel with it: nobody is left to answer.
            }
        }
    }
}
