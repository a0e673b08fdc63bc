package memdb.admin;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import memdb.auth.AuthThrottle;
import memdb.net.HeldPort;
import memdb.net.IoTransport;
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
 * Lifecycle: {@link #bind} returns it serving (a node: {@link #hold} binds the port before the op log's
 * replay, {@link #serve} serves it after); {@link #close()} closes the port and every connection. Uses epoll
 * where available, else NIO (memdb.net.IoTransport).
 */
public final class AdminServer implements AutoCloseable {
    /** How long a backend future may take before the request is answered 503. */
    public static final long BACKEND_TIMEOUT_MS = 10_000;
    static final int LINE_BYTES_MAX = 8192;
    static final int HEADER_BYTES_MAX = 8192;
    static final int CONTENT_BYTES_MAX = 4096;
    static final long IDLE_TIMEOUT_MS = 120_000;
    private static final int THREADS = 1;

    private final HeldPort port;

    private AdminServer(HeldPort port) {
        this.port = port;
    }

    /**
     * Listens on {@code host:port} (port 0: any free port) and serves {@code backend} to callers that
     * present {@code authKey}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AdminServer bind(String host, int port, String authKey, AdminBackend backend) {
        return hold(host, port).serve(List.of(authKey), null, backend, BACKEND_TIMEOUT_MS);
    }

    /** Accepting any of {@code acceptedKeys}, over HTTPS when {@code tls} is not null. */
    public static AdminServer bind(String host, int port, List<String> acceptedKeys, ServerTls tls, AdminBackend backend) {
        return hold(host, port).serve(acceptedKeys, tls, backend);
    }

    /** As {@link #bind(String, int, String, AdminBackend)}, with another backend timeout (for tests). */
    static AdminServer bind(String host, int port, String authKey, AdminBackend backend, long backendTimeoutMs) {
        return hold(host, port).serve(List.of(authKey), null, backend, backendTimeoutMs);
    }

    /**
     * Binds {@code host:port} on the admin API's own event loop, answering nothing until {@link #serve}: a node
     * binds it before it replays its op log, and a request made meanwhile waits to be answered once it serves.
     *
     * @throws UncheckedIOException "cannot listen for the admin API on host:port: reason" when it cannot be bound
     */
    public static AdminServer hold(String host, int port) {
        EventLoopGroup group = IoTransport.detect().newGroup(THREADS, "memdb-admin");
        return new AdminServer(HeldPort.bind("for the admin API", host, port, group, group, group));
    }

    /** Serves {@code backend} on the port {@link #hold} bound, to callers that present one of {@code acceptedKeys}. */
    public AdminServer serve(List<String> acceptedKeys, ServerTls tls, AdminBackend backend) {
        return serve(acceptedKeys, tls, backend, BACKEND_TIMEOUT_MS);
    }

    private AdminServer serve(List<String> acceptedKeys, ServerTls tls, AdminBackend backend, long backendTimeoutMs) {
        BearerAuth auth = new BearerAuth(acceptedKeys);
        AuthThrottle throttle = new AuthThrottle();
        AdminEndpoints endpoints = new AdminEndpoints(backend, backendTimeoutMs);
        port.serve(channel -> {
            if (tls != null) channel.pipeline().addLast("tls", new TlsGate(tls, AdminServer::httpsRequired));
            channel.pipeline()
                    .addLast("idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .addLast("http", new HttpServerCodec(LINE_BYTES_MAX, HEADER_BYTES_MAX, CONTENT_BYTES_MAX))
                    .addLast("aggregator", new HttpObjectAggregator(CONTENT_BYTES_MAX))
                    .addLast("admin", new AdminHandler(auth, throttle, endpoints));
        });
        return this;
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
        return port.localAddress().getPort();
    }

    /** Closes the port and every admin connection. Idempotent. */
    @Override
    public void close() {
        port.close();
    }
}
