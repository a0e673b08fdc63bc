package memdb.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import memdb.auth.AuthThrottle;
import memdb.tls.ServerTls;
import memdb.tls.TlsGate;

/**
 * The HTTP admin API of a node (docs/admin-api.md) on its own small Netty event loop group, apart from
 * the client port so that admin traffic neither competes with it nor depends on it. Pipeline per
 * connection:
 * <pre>
 *   [TlsGate → SslHandler] → IdleStateHandler → HttpServerCodec(line/header limits) → HttpObjectAggregator(CONTENT_BYTES_MAX)
 *     → AdminHandler(BearerAuth, AdminEndpoints(backend))
 * </pre>
 * Lifecycle: {@link #bind} returns it serving; {@link #close()} closes the port and every connection.
 * Uses epoll where available, else NIO (the same choice as memdb.net, whose helper is package-private).
 */
public final class AdminServer implements AutoCloseable {
    /** How long a backend future may take before the request is answered 503. */
    public static final long BACKEND_TIMEOUT_MS = 10_000;
    static final int LINE_BYTES_MAX = 8192;
    static final int HEADER_BYTES_MAX = 8192;
    static final int CONTENT_BYTES_MAX = 4096;
    static final long IDLE_TIMEOUT_MS = 120_000;
    private static final int THREADS = 1;
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final EventLoopGroup group;
    private final Channel serverChannel;

    private AdminServer(EventLoopGroup group, Channel serverChannel) {
        this.group = group;
        this.serverChannel = serverChannel;
    }

    /**
     * Listens on {@code host:port} (port 0: any free port) and serves {@code backend} to callers that
     * present {@code authKey}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AdminServer bind(String host, int port, String authKey, AdminBackend backend) {
        return bind(host, port, List.of(authKey), null, backend, BACKEND_TIMEOUT_MS);
    }

    /** Accepting any of {@code acceptedKeys}, over HTTPS when {@code tls} is not null. */
    public static AdminServer bind(String host, int port, List<String> acceptedKeys, ServerTls tls, AdminBackend backend) {
        return bind(host, port, acceptedKeys, tls, backend, BACKEND_TIMEOUT_MS);
    }

    /** As {@link #bind(String, int, String, AdminBackend)}, with another backend timeout (for tests). */
    static AdminServer bind(String host, int port, String authKey, AdminBackend backend, long backendTimeoutMs) {
        return bind(host, port, List.of(authKey), null, backend, backendTimeoutMs);
    }

    private static AdminServer bind(String host, int port, List<String> acceptedKeys, ServerTls tls, AdminBackend backend,
                                    long backendTimeoutMs) {
        BearerAuth auth = new BearerAuth(acceptedKeys);
        AuthThrottle throttle = new AuthThrottle();
        AdminEndpoints endpoints = new AdminEndpoints(backend, backendTimeoutMs);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(THREADS, new DefaultThreadFactory("memdb-admin"), io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) channel.pipeline().addLast("tls", new TlsGate(tls, AdminServer::httpsRequired));
                        channel.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                                .addLast("http", new HttpServerCodec(LINE_BYTES_MAX, HEADER_BYTES_MAX, CONTENT_BYTES_MAX))
                                .addLast("aggregator", new HttpObjectAggregator(CONTENT_BYTES_MAX))
                                .addLast("admin", new AdminHandler(auth, throttle, endpoints));
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown(group);
            Throwable cause = bound.cause();
            throw new UncheckedIOException("cannot listen for the admin API on " + host + ":" + port + ": " + cause.getMessage(),
                    cause instanceof IOException e ? e : new IOException(cause));
        }
        return new AdminServer(group, bound.channel());
    }

    /** The plaintext answer to an http:// request at the https port. */
    private static ByteBuf httpsRequired(ChannelHandlerContext ctx) {
        byte[] body = "{\"error\":\"this admin API accepts HTTPS only: connect with TLS (memdb --tls-ca FILE, or https://)\"}".getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        return ctx.alloc().buffer().writeBytes(head.getBytes(StandardCharsets.US_ASCII)).writeBytes(body);
    }

    /** The port listened on (the one chosen when bound to port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Closes the port and every admin connection. Idempotent. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        shutdown(group);
    }

    private static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
    }
}
