package memdb.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import memdb.auth.AuthThrottle;
import memdb.protocol.ErrorCode;
import memdb.protocol.FrameCodec;
import memdb.tls.ServerTls;
import memdb.tls.TlsGate;
import memdb.node.CoreLoop;
import memdb.node.LimitsConfig;
import memdb.protocol.EnvelopeDecoder;
import memdb.protocol.EnvelopeEncoder;

/**
 * The node's client port over Netty. Each channel's pipeline:
 * <pre>
 *   [TlsGate → SslHandler] → EnvelopeEncoder (shared) → ConnectionTracker (shared: max-connections) → IdleStateHandler
 *     → EnvelopeDecoder(max-frame-bytes) → ClientHandler(Session, CoreLoop)
 * </pre>
 * Lifecycle: {@link #bind} → {@link #stopAccepting()} (no new connections; open ones keep being
 * answered) → {@link #close()} (closes every connection and stops the event loops).
 */
public final class ClientServer implements AutoCloseable {
    private static final long SHUTDOWN_QUIET_MS = 0;
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ConnectionTracker tracker;
    private final String transportName;

    private ClientServer(EventLoopGroup acceptors, EventLoopGroup workers, Channel serverChannel,
                         ConnectionTracker tracker, String transportName) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.tracker = tracker;
        this.transportName = transportName;
    }

    /**
     * Listens on {@code bind:port} (port 0: any free port) and serves each connection with a fresh session.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ClientServer bind(String bind, int port, LimitsConfig limits, Supplier<Session> sessions, CoreLoop loop,
                                    Runnable killSwitch) {
        return bind(bind, port, limits, null, certified -> sessions.get(), loop, killSwitch);
    }

    /**
     * As above, over TLS when {@code tls} is not null: each session learns whether its peer presented a
     * certificate the CA signed (mutual TLS) through the {@link BooleanSupplier} it is made with.
     */
    public static ClientServer bind(String bind, int port, LimitsConfig limits, ServerTls tls,
                                    Function<BooleanSupplier, Session> sessions, CoreLoop loop, Runnable killSwitch) {
        IoTransport transport = IoTransport.detect();
        EventLoopGroup acceptors = transport.newGroup(1, "memdb-accept");
        EventLoopGroup workers = transport.newGroup(Runtime.getRuntime().availableProcessors(), "memdb-io");
        ConnectionTracker tracker = new ConnectionTracker(limits.connectionsMax(), loop::lamportTime);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(limits, tls, tracker, sessions, loop, killSwitch));
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(bind, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown(acceptors, workers);
            Throwable cause = bound.cause();
            throw new UncheckedIOException("cannot listen on " + bind + ":" + port + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        return new ClientServer(acceptors, workers, bound.channel(), tracker, transport.name());
    }

    private static ChannelInitializer<Channel> initializer(LimitsConfig limits, ServerTls tls, ConnectionTracker tracker,
                                                           Function<BooleanSupplier, Session> sessions, CoreLoop loop,
                                                           Runnable killSwitch) {
        EnvelopeEncoder encoder = new EnvelopeEncoder();
        AuthThrottle throttle = new AuthThrottle();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                if (tls != null) pipeline.addLast("tls", new TlsGate(tls, ctx -> tlsRequired(ctx, loop)));
                pipeline.addLast("encoder", encoder);
                pipeline.addLast("connections", tracker);
                if (limits.idleTimeoutMs() > 0) {
                    pipeline.addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeoutMs(), TimeUnit.MILLISECONDS));
                }
                pipeline.addLast("decoder", new EnvelopeDecoder(limits.frameBytesMax()));
                BooleanSupplier certified = () -> ServerTls.peerCertified(channel.pipeline().get(SslHandler.class));
                pipeline.addLast("handler", new ClientHandler(sessions.apply(certified), loop, killSwitch, throttle));
            }
        };
    }

    /** The plaintext error frame for a client that connected to the TLS port without TLS. */
    private static ByteBuf tlsRequired(ChannelHandlerContext ctx, CoreLoop loop) {
        ByteBuf frame = ctx.alloc().buffer();
        FrameCodec.encode(Replies.unattributedError(loop.lamportTime(), ErrorCode.TLS_REQUIRED,
                "this MemDB port accepts TLS only: connect with TLS (memdb --tls-ca FILE, or MemDbConnections.Builder.tls)"), frame);
        return frame;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** "epoll" or "nio". */
    public String transportName() {
        return transportName;
    }

    public int openConnections() {
        return tracker.openConnections();
    }

    /** Stops accepting connections; the open ones are still served. */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Closes every connection (after the replies already handed to them) and stops the event loops. */
    @Override
    public void close() {
        stopAccepting();
        tracker.closeAll();
        shutdown(acceptors, workers);
    }

    private static void shutdown(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) group.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (EventLoopGroup group : groups) group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
    }
}
