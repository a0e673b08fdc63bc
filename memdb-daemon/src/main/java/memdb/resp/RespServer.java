package memdb.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import memdb.tls.ServerTls;
import memdb.tls.TlsGate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import memdb.net.IoTransport;
import memdb.node.CoreLoop;
import memdb.node.LimitsConfig;

/**
 * The node's Redis-protocol (RESP2) port, off unless {@code resp-port} is set: lets redis-cli,
 * redis-benchmark and Redis client libraries use a node. Each channel's pipeline:
 * <pre>
 *   [TlsGate → SslHandler] → RespEncoder (shared) → Limit (shared: max-connections) → IdleStateHandler
 *     → RespDecoder(max-frame-bytes) → RespHandler(RespSession, CoreLoop)
 * </pre>
 * Requests go to the same {@link CoreLoop} as the native port's. Lifecycle as memdb.net.ClientServer:
 * {@link #bind} → {@link #stopAccepting()} → {@link #close()}.
 */
public final class RespServer implements AutoCloseable {
    /** Room for RESP's own framing around the largest key and value (headers of a SET's three bulk strings). */
    static final int FRAMING_SLACK_BYTES = 4096;
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final Limit limit;

    private RespServer(EventLoopGroup acceptors, EventLoopGroup workers, Channel serverChannel, Limit limit) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.limit = limit;
    }

    /**
     * Listens on {@code bind:port}; each connection gets a session that knows {@code authKey} and {@code facts}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static RespServer bind(String bind, int port, LimitsConfig limits, String authKey, ServerFacts facts, CoreLoop loop) {
        return bind(bind, port, limits, authKey, null, facts, loop);
    }

    /** As above, over TLS when {@code tls} is not null (redis-cli --tls). */
    public static RespServer bind(String bind, int port, LimitsConfig limits, String authKey, ServerTls tls, ServerFacts facts,
                                  CoreLoop loop) {
        IoTransport transport = IoTransport.detect();
        EventLoopGroup acceptors = transport.newGroup(1, "memdb-resp-accept");
        EventLoopGroup workers = transport.newGroup(Runtime.getRuntime().availableProcessors(), "memdb-resp-io");
        Limit limit = new Limit(limits.connectionsMax());
        AtomicLong connectionIds = new AtomicLong();
        RespEncoder encoder = new RespEncoder();
        RequestSink core = RequestSink.of(loop);
        long commandBytesMax = (long) limits.frameBytesMax() + FRAMING_SLACK_BYTES;
        ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                if (tls != null) {
                    pipeline.addLast("tls", new TlsGate(tls, ctx -> ctx.alloc().buffer().writeBytes(
                            "-ERR this port accepts TLS only (redis-cli --tls)\r\n".getBytes(StandardCharsets.US_ASCII))));
                }
                pipeline.addLast("encoder", encoder);
                pipeline.addLast("connections", limit);
                if (limits.idleTimeoutMs() > 0) {
                    pipeline.addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeoutMs(), TimeUnit.MILLISECONDS));
                }
                pipeline.addLast("decoder", new RespDecoder(commandBytesMax));
                RespSession session = new RespSession(authKey, facts, connectionIds.incrementAndGet(), System::currentTimeMillis);
                pipeline.addLast("handler", new RespHandler(session, core));
            }
        };
        ChannelFuture bound = new ServerBootstrap().group(acceptors, workers).channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(new InetSocketAddress(bind, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown(acceptors, workers);
            Throwable cause = bound.cause();
            throw new UncheckedIOException("cannot listen for RESP on " + bind + ":" + port + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        return new RespServer(acceptors, workers, bound.channel(), limit);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stopAccepting();
        limit.channels.close().awaitUninterruptibly();
        shutdown(acceptors, workers);
    }

    private static void shutdown(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (EventLoopGroup group : groups) group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
    }

    /** max-connections for the RESP port (counted apart from the native port's); keeps the channels for close. */
    @ChannelHandler.Sharable
    static final class Limit extends ChannelInboundHandlerAdapter {
        private final int connectionsMax;
        private final AtomicInteger open = new AtomicInteger();
        final ChannelGroup channels = new DefaultChannelGroup("memdb-resp-clients", GlobalEventExecutor.INSTANCE);

        Limit(int connectionsMax) {
            this.connectionsMax = connectionsMax;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (open.incrementAndGet() > connectionsMax) {
                ctx.channel().config().setAutoRead(false);
                ctx.writeAndFlush(RespReply.Error.err("max number of clients reached")).addListener(ChannelFutureListener.CLOSE);
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
    }
}
