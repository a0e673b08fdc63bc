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
import java.util.function.Function;

/**
 * The first stage of every channel of one listener, shared by all of them: enforces {@code max-connections}
 * (a connection over the limit gets one error reply in the listener's protocol and is closed) and keeps
 * the open channels so that shutdown can close them. Invariant: {@code open} counts the channels that are
 * active right now.
 */
@ChannelHandler.Sharable
final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionTracker.class.getName());

    private final String listener;
    private final int connectionsMax;
    /** The listener's error reply for a sentence (written through the encoder before this stage). */
    private final Function<String, Object> refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelGroup channels;

    ConnectionTracker(String listener, int connectionsMax, Function<String, Object> refusal) {
        this.listener = listener;
        this.connectionsMax = connectionsMax;
        this.refusal = refusal;
        this.channels = new DefaultChannelGroup("memdb-" + listener + "-clients", GlobalEventExecutor.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > connectionsMax) {
            LOG.log(Level.WARNING, "refusing " + listener + " connection from " + ctx.channel().remoteAddress()
                    + ": max-connections " + connectionsMax + " reached");
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(refusal.apply("too many connections (max-connections " + connectionsMax + ")"))
                    .addListener(ChannelFutureListener.CLOSE);
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

    /** Closes every channel and waits until they are closed. */
    void closeAll() {
        channels.close().awaitUninterruptibly();
    }
}
