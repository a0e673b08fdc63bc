package memdb.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import memdb.protocol.ErrorCode;

/**
 * The first stage of every client channel, shared by all of them: enforces {@code max-connections} (a
 * connection over the limit gets one OVERLOADED error frame and is closed) and keeps the open channels so
 * that shutdown can close them. Invariant: {@code open} counts the channels that are active right now.
 */
@ChannelHandler.Sharable
final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionTracker.class.getName());

    private final int connectionsMax;
    private final LongSupplier lamport;
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelGroup channels = new DefaultChannelGroup("memdb-clients", GlobalEventExecutor.INSTANCE);

    ConnectionTracker(int connectionsMax, LongSupplier lamport) {
        this.connectionsMax = connectionsMax;
        this.lamport = lamport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > connectionsMax) {
            LOG.log(Level.WARNING, "refusing connection from " + ctx.channel().remoteAddress()
                    + ": max-connections " + connectionsMax + " reached");
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Replies.connectionError(lamport.getAsLong(), ErrorCode.OVERLOADED,
                    "too many connections (max-connections " + connectionsMax + ")")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        channels.add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    int openConnections() {
        return open.get();
    }

    /** Closes every client channel and waits until they are closed. */
    void closeAll() {
        channels.close().awaitUninterruptibly();
    }
}
