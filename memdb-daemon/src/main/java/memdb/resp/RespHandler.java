package memdb.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import memdb.auth.AuthThrottle;
import memdb.net.FlowControl;
import memdb.node.Connection;
import memdb.node.CoreLoop;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The last stage of a RESP channel: each decoded command goes through the connection's {@link RespSession};
 * what it answers itself becomes a reply at once, what needs the data goes to the core as native requests
 * (one per key, each with its own request id) and its reply is made when all their responses are back.
 *
 * <p>Invariants: replies leave in the order the commands came (RESP has no request ids: a pipelined client
 * matches replies by position), so each command takes a slot in a queue and only the finished slots at its
 * head are written; each slot counts as in flight in the channel's {@link FlowControl} until its reply is
 * written, so reading pauses while max-pending-per-connection commands wait or while the client does not
 * read its replies; after QUIT, a wrong key or a protocol error, nothing more is read,
 * the replies owed are written, then the channel closes. A wrong key's reply waits for the
 * {@link AuthThrottle}'s delay for the remote address (as on the native port). Bad input never escapes as anything else.
 * Everything but {@link Connection#send} runs on the channel's event loop; send hops onto it when called elsewhere.
 */
final class RespHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(RespHandler.class.getName());

    /** One command's place in the reply order. */
    private static final class Slot {
        RespReply reply;
        boolean thenClose;
        final Response[] responses;
        int missing;
        final Function<List<Response>, RespReply> combine;

        Slot(RespReply reply, boolean thenClose) {
            this.reply = reply;
            this.thenClose = thenClose;
            this.responses = null;
            this.combine = null;
        }

        Slot(int parts, Function<List<Response>, RespReply> combine) {
            this.responses = new Response[parts];
            this.missing = parts;
            this.combine = combine;
        }

        void fill(int index, Response response) {
            if (responses[index] != null) return;
            responses[index] = response;
            if (--missing == 0) reply = combine.apply(Arrays.asList(responses));
        }
    }

    private record Part(Slot slot, int index) {}

    private final RespSession session;
    private final RequestSink core;
    private final FlowControl flow;
    /** Slows down key guessing; shared by the node's client ports. */
    private final AuthThrottle throttle;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /** The native requests in flight at the core, by request id (handed out here, one after the other). */
    private final InFlight<Part> parts = new InFlight<>(1);
    private ChannelHandlerContext ctx;
    private Connection replies;

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
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing()) return;
        boolean wasAuthenticated = session.isAuthenticated();
        RespSession.Action action;
        try {
            action = session.handle((RespCommand) msg);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error handling a RESP command from " + ctx.channel().remoteAddress(), e);
            action = new RespSession.Reply(RespReply.Error.err("internal error on the server; see its log"), false);
        }
        if (!wasAuthenticated && session.isAuthenticated()) throttle.succeeded(AuthThrottle.addressOf(ctx.channel().remoteAddress()));
        if (action instanceof RespSession.Reply reply) {
            enqueue(new Slot(reply.reply(), reply.thenClose()));
        } else if (action instanceof RespSession.Submit submit) {
            submit(submit);
        } else if (action instanceof RespSession.WrongKey wrongKey) {
            answerLater(ctx, wrongKey.reply());
        }
        writeFinished();
    }

    /**
     * A wrong key: its reply takes its slot in the reply order and closes the channel, but is filled in only
     * after the throttle's delay for the remote address (scheduled on the event loop, never slept on);
     * nothing more is read meanwhile ({@link FlowControl#stop}, the one owner of the read switch).
     */
    private void answerLater(ChannelHandlerContext ctx, RespReply reply) {
        long delayMs = throttle.failed(AuthThrottle.addressOf(ctx.channel().remoteAddress()), System.nanoTime() / 1_000_000);
        Slot slot = new Slot(null, true);
        enqueue(slot);
        if (delayMs > 0) LOG.log(Level.INFO, "failed RESP authentication from " + ctx.channel().remoteAddress() + "; answering in " + delayMs + " ms");
        ctx.executor().schedule(() -> {
            slot.reply = reply;
            writeFinished();
            ctx.flush();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private void submit(RespSession.Submit submit) {
        List<Request> requests = submit.requests();
        Slot slot = new Slot(requests.size(), submit.combine());
        slots.add(slot);
        flow.requestIn();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            int requestId = parts.add(new Part(slot, i));
            CoreLoop.Submission submission = core.submit(replies, Envelope.request(requestId, core.lamportTime(), request), request);
            if (submission != CoreLoop.Submission.ACCEPTED && parts.remove(requestId) != null) {
                slot.fill(i, refusal(submission));
            }
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
     * Writes the finished replies at the head of the queue as one buffer (without flushing: one write, not
     * one per reply); closes after a closing one.
     */
    private void writeFinished() {
        ByteBuf out = null;
        while (!slots.isEmpty() && slots.peek().reply != null) {
            Slot slot = slots.poll();
            flow.repliesOut(1);
            if (out == null) out = ctx.alloc().ioBuffer();
            slot.reply.encode(out);
            if (slot.thenClose) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                slots.clear();
                parts.clear();
                return;
            }
        }
        if (out != null) ctx.write(out);
    }

    /** Responses from the core, on the event loop. */
    private void onResponses(List<Envelope> envelopes) {
        for (Envelope envelope : envelopes) {
            Part part = parts.remove(envelope.requestId());
            if (part != null) part.slot().fill(part.index(), (Response) envelope.message());
        }
        writeFinished();
        ctx.flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
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
        ctx.flush();
    }

    /** The core's way back to this channel: at once on the channel's event loop (the core's own, in a node), else hops onto it. */
    private final class CoreReplies implements Connection {
        private final Channel channel;

        CoreReplies(Channel channel) {
            this.channel = channel;
        }

        @Override
        public java.util.concurrent.Executor executor() {
            return channel.eventLoop().inEventLoop() ? null : channel.eventLoop();
        }

        @Override
        public void send(List<Envelope> envelopes) {
            if (channel.eventLoop().inEventLoop()) {
                onResponses(envelopes);
                return;
            }
            try {
                channel.eventLoop().execute(() -> onResponses(envelopes));
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down, and the channel with it: nobody is left to answer.
            }
        }
    }
}
