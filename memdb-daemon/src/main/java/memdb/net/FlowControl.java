package memdb.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Back-pressure for one client channel, the same on every listener (native and RESP): the node reads from
 * a connection only while it has fewer than {@code max-pending-per-connection} requests in flight (read but
 * not yet answered) and while the channel is writable (its outbound buffer is under the high water mark,
 * {@link ClientListener}). So a pipelining client is slowed, never dropped, and a client that does not read
 * its replies stops being read: the memory it holds on the node is bounded by the water mark plus its
 * requests in flight. Also closes the channel when the idle handler before it says it has been idle, and
 * sorts out what went wrong on a channel for its handler ({@link #failed}), logging one line for it.
 * It is the one owner of the channel's read switch ({@code autoRead}): handlers never set it themselves
 * (a failed AUTH, whose answer waits for the {@link memdb.auth.AuthThrottle}'s delay and then closes the
 * channel, calls {@link #stop()} at once, so back-pressure cannot switch reading back on meanwhile).
 *
 * <p>Invariants: {@code pending} counts requests handed on and not yet answered; once {@link #stop()} was
 * called nothing is read again. Runs on the channel's event loop only.
 */
public final class FlowControl extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(FlowControl.class.getName());

    /** What went wrong on a channel, as {@link #failed} sorts it. */
    public enum Failure {
        /** The client sent something the decoder refuses: answer with a protocol error, then close. */
        PROTOCOL,
        /** The connection itself failed (reset, broken pipe): just close. */
        CONNECTION,
        /** A bug on the server: answer with an internal error, then close. */
        UNEXPECTED
    }

    private final int pendingMax;
    private final String listener;
    private Channel channel;
    private int pending;
    private boolean stopped;

    public FlowControl(int pendingMax, String listener) {
        this.pendingMax = pendingMax;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** One request read and handed on (to the core, or to a queue of replies owed). */
    public void requestIn() {
        pending++;
        update();
    }

    /** {@code count} requests answered (their replies written to the channel). */
    public void repliesOut(int count) {
        pending = Math.max(0, pending - count);
        update();
    }

    /** Requests in flight on this channel. */
    public int pending() {
        return pending;
    }

    /** Nothing more is read from this channel (it closes once the replies owed are out). */
    public void stop() {
        stopped = true;
        channel.config().setAutoRead(false);
    }

    public boolean stopped() {
        return stopped;
    }

    private void update() {
        if (stopped) return;
        boolean read = pending < pendingMax && channel.isWritable();
        if (channel.config().isAutoRead() != read) channel.config().setAutoRead(read);
    }

    /**
     * Stops reading from the channel after {@code cause} and logs one line for it (a stack trace only for
     * an unexpected error); returns what kind of failure it was. {@code protocolError} is the exception the
     * listener's decoder throws for bad input (wrapped by Netty in a DecoderException).
     */
    public Failure failed(ChannelHandlerContext ctx, Throwable cause, Class<? extends Exception> protocolError) {
        stop();
        String from = listener + " connection from " + ctx.channel().remoteAddress();
        if (cause instanceof DecoderException && protocolError.isInstance(cause.getCause())) {
            LOG.log(Level.INFO, "closing " + from + ": " + cause.getCause().getMessage());
            return Failure.PROTOCOL;
        }
        if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, from + " failed: " + cause.getMessage());
            return Failure.CONNECTION;
        }
        LOG.log(Level.WARNING, "closing " + from + " after an unexpected error", cause);
        return Failure.UNEXPECTED;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        update();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            LOG.log(Level.INFO, "closing idle " + listener + " connection from " + ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
