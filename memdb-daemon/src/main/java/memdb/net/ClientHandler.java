package memdb.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import memdb.auth.AuthThrottle;
import memdb.node.CoreLoop;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.ProtocolException;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The last stage of a client channel: decoded envelopes go through the connection's {@link Session}
 * (authentication), then to the {@link CoreLoop}. Replies it makes itself are flushed once per read burst.
 *
 * <p>Bad input never escapes: an undecodable frame is answered with an error frame and the channel closes
 * with one log line, without a stack trace; other clients are unaffected. Each request handed to the core
 * counts as in flight in the channel's {@link FlowControl} until its reply is written, so reading pauses
 * while too many are (max-pending-per-connection) or while the client does not read its replies.
 * A failed AUTH is answered after the {@link AuthThrottle}'s delay for the remote address.
 *
 * <p>A client that hung up: every frame decoded from what it sent is handed on as usual, even once the
 * channel is inactive (the decoder delivers what it holds when the connection ends), and the {@link CoreLoop}
 * owns the rule for it, the same on every listener (native and RESP's {@code RespHandler}): it skips the reads
 * of a closed connection (GET, CONTAINS, PING: their answer could go nowhere) and applies its writes (a client
 * may pipeline SETs and hang up at once, as with Redis). Only after a frame that makes this side close the
 * channel (a failed AUTH, a protocol error) is nothing more handled.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ClientHandler.class.getName());

    private final Session session;
    private final CoreLoop loop;
    private final FlowControl flow;
    /** Stops the process at once (the admin API's kill); tests pass something milder. */
    private final Runnable killSwitch;
    private ChannelConnection connection;

    /** Slows down key guessing; shared by the node's client ports. */
    private final AuthThrottle throttle;

    ClientHandler(Session session, CoreLoop loop, FlowControl flow, Runnable killSwitch) {
        this(session, loop, flow, killSwitch, new AuthThrottle());
    }

    ClientHandler(Session session, CoreLoop loop, FlowControl flow, Runnable killSwitch, AuthThrottle throttle) {
        this.killSwitch = killSwitch;
        this.session = session;
        this.loop = loop;
        this.flow = flow;
        this.throttle = throttle;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection = new ChannelConnection(ctx.channel(), flow);
    }

    /**
     * Whether this side closes the channel (a failed AUTH, a protocol error): whatever else was read in the
     * same burst is dropped. A client that hung up is another matter: what it sent is handed on (see the
     * class comment).
     */
    private boolean closing() {
        return flow.stopped();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing()) return;
        Envelope envelope = (Envelope) msg;
        Session.Admission admission = session.admit(envelope.message());
        if (envelope.message() instanceof Requests.Auth && session.isAuthenticated()) throttle.succeeded(AuthThrottle.addressOf(ctx.channel().remoteAddress()));
        if (admission instanceof Session.Answer answer && envelope.message() instanceof Requests.Auth && !session.isAuthenticated()
                && answer.thenClose()) {
            answerLater(ctx, envelope, answer);
        } else if (admission instanceof Session.Answer answer) {
            answer(ctx, envelope, answer);
        } else if (envelope.message() instanceof ClusterRequests.Kill) { // admitted: a node-key connection's
            LOG.log(System.Logger.Level.WARNING, "killed by a KILL request from " + ctx.channel().remoteAddress());
            ctx.writeAndFlush(Envelope.response(envelope.opcode(), envelope.requestId(), loop.lamportTime(), new Responses.Ok()))
                    .addListener(done -> killSwitch.run());
        } else {
            CoreLoop.Submission submission = loop.submit(connection, envelope, (Request) envelope.message());
            if (submission == CoreLoop.Submission.ACCEPTED) {
                flow.requestIn();
            } else {
                refuse(ctx, envelope, submission);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing() || !ctx.channel().isActive()) return; // a closed channel's failure (a reply written after the client hung up): nobody to answer
        switch (flow.failed(ctx, cause, ProtocolException.class)) {
            case PROTOCOL -> ctx.writeAndFlush(Replies.protocolError(loop.lamportTime(), (ProtocolException) cause.getCause()))
                    .addListener(ChannelFutureListener.CLOSE);
            case CONNECTION -> ctx.close();
            case UNEXPECTED -> ctx.writeAndFlush(Replies.connectionError(loop.lamportTime(), ErrorCode.INTERNAL,
                    "internal error on the server")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A failed AUTH (always answered with a close): nothing more is read from the connection from now on
     * ({@link FlowControl#stop}, the one owner of the read switch), and the answer and the close wait for
     * the throttle's delay, scheduled on the channel's event loop, never slept on.
     */
    private void answerLater(ChannelHandlerContext ctx, Envelope request, Session.Answer answer) {
        long delayMs = throttle.failed(AuthThrottle.addressOf(ctx.channel().remoteAddress()), System.nanoTime() / 1_000_000);
        flow.stop();
        if (delayMs > 0) LOG.log(Level.INFO, "failed authentication from " + ctx.channel().remoteAddress() + "; answering in " + delayMs + " ms");
        ctx.executor().schedule(() -> answer(ctx, request, answer), delayMs, TimeUnit.MILLISECONDS);
    }


    private void answer(ChannelHandlerContext ctx, Envelope request, Session.Answer answer) {
        Response response = answer.response();
        Envelope reply = Envelope.response(request.opcode(), request.requestId(), loop.lamportTime(), response);
        if (!answer.thenClose()) {
            ctx.write(reply);
            return;
        }
        String reason = response instanceof Responses.Error error ? error.code() + ": " + error.message() : response.toString();
        LOG.log(Level.INFO, "closing connection from " + ctx.channel().remoteAddress() + ": " + reason);
        flow.stop();
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, Envelope request, CoreLoop.Submission submission) {
        ErrorCode code = submission == CoreLoop.Submission.OVERLOADED ? ErrorCode.OVERLOADED : ErrorCode.SHUTTING_DOWN;
        String message = code == ErrorCode.OVERLOADED ? "the node is overloaded; retry later" : "the node is shutting down";
        ctx.write(Replies.error(request, loop.lamportTime(), code, message));
    }
}
