package memdb.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import memdb.protocol.EnvelopeDecoder;
import memdb.protocol.EnvelopeEncoder;
import memdb.protocol.FrameCodec;
import memdb.tls.ClientTls;

/**
 * The client's only contact with Netty's machinery: one event loop group per {@link MemDb} (a single
 * thread: a client is I/O bound and every connection is pipelined), epoll when the native transport is
 * available and NIO otherwise, and the channel pipeline
 * {@code [SslHandler ->] EnvelopeDecoder -> EnvelopeEncoder -> connection handler} (the connection writes its
 * requests in batches, one flush each: NodeConnection).
 *
 * <p>Its threads are {@link IoThread}s, so that blocking calls can refuse to run on them (a blocking
 * wait on the only I/O thread would wait for itself).
 */
final class NettyTransport implements AutoCloseable {
    private static final int IO_THREADS = 1;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);
    private static final EnvelopeEncoder ENCODER = new EnvelopeEncoder();

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    NettyTransport() {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(IO_THREADS, new IoThreadFactory(), ioHandler);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    EventLoop nextLoop() {
        return group.next();
    }

    /**
     * Starts a connect on {@code loop} from {@code localHost} (any free port on it; null: the system's
     * choice of address); the handler ends the pipeline; {@code tls} (null: none) begins it, with a
     * handshake that must finish within {@code handshakeTimeout}.
     */
    ChannelFuture connect(NodeAddress address, String localHost, EventLoop loop, Duration connectTimeout, ClientTls tls,
                          Duration handshakeTimeout,
                          ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc(), address.host(), address.port(), handshakeTimeout));
                        }
                        channel.pipeline().addLast(
                                new EnvelopeDecoder(FrameCodec.FRAME_BYTES_MAX_DEFAULT),
                                ENCODER,
                                handler);
                    }
                })
                .connect(java.net.InetSocketAddress.createUnresolved(address.host(), address.port()),
                        localHost == null ? null : new java.net.InetSocketAddress(localHost, 0));
    }

    /** True on one of this client's (or any MemDB client's) I/O threads. */
    static boolean onIoThread() {
        return Thread.currentThread() instanceof IoThread;
    }

    /** Stops the event loop; waits for it unless called from it. */
    @Override
    public void close() {
        var termination = group.shutdownGracefully(0, SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!onIoThread()) termination.awaitUninterruptibly(SHUTDOWN_WAIT.toMillis() * 2);
    }

    /** Marks the client's event loop threads. */
    static final class IoThread extends FastThreadLocalThread {
        IoThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    private static final class IoThreadFactory implements ThreadFactory {
        private final AtomicInteger threads = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            return new IoThread(task, "memdb-client-io-" + threads.incrementAndGet());
        }
    }
}
