package memdb.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;

/**
 * Back-pressure for one client channel, the same on every listener (native and RESP): the node reads from
 * a connection only while it has fewer than {@code max-pending-per-connection} requests in flight (read but
 * not yet answered) and while the channel is writable (its outbound buffer is under the high water mark,
 * {@link ClientListener}). So a pipelining client is slowed, never dropped, and a client that does not read
 * its replies stops being read: the memory it holds on the node is bounded by the water mark plus its
 * requests in flight. Also closes the channel when the idle handler before it says it has been idle.
 *
 * <p>Invariants: {@code pending} counts requests handed on and not yet answered; once {@link #stop()} was
 * called nothing is read again. Runs on the channel's event loop only.
 */
public final class FlowControl extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(FlowControl.class.getName());

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
