package memdb.resp;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import memdb.tls.ServerTls;
import memdb.tls.TlsGate;
import java.util.concurrent.atomic.AtomicLong;
import memdb.auth.AuthThrottle;
import memdb.net.ClientListener;
import memdb.net.HeldPort;
import memdb.node.CoreLoop;
import memdb.node.LimitsConfig;

/**
 * The node's Redis-protocol (RESP2) port, off unless {@code resp-port} is set: lets redis-cli,
 * redis-benchmark and Redis client libraries use a node. It is a memdb.net.ClientListener (the same
 * limits and back-pressure as the native port: max-connections, counted apart from the native port's,
 * idle-timeout-ms, max-pending-per-connection, the write-buffer water marks); each channel's pipeline ends with
 * <pre>
 *   [TlsGate → SslHandler] → … → FlowControl → RespDecoder(max-frame-bytes + framing) → RespHandler(RespSession, CoreLoop)
 *                                                 (each command handed straight to the handler, not down the pipeline)
 * </pre>
 * Requests go to the same {@link CoreLoop} as the native port's, and a wrong key is slowed down as on the
 * native port (the same {@link AuthThrottle}). The listener's lifecycle is ClientListener's.
 */
public final class RespServer {
    /** Room for RESP's own framing around the largest key and value (headers of a SET's three bulk strings). */
    static final int FRAMING_SLACK_BYTES = 4096;

    private RespServer() {}

    /**
     * Listens on {@code bind:port}; each connection gets a session that knows {@code authKey} and {@code facts}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ClientListener bind(String bind, int port, LimitsConfig limits, String authKey, ServerFacts facts, CoreLoop loop) {
        return bind(bind, port, limits, authKey, null, facts, loop);
    }

    /** As above, over TLS when {@code tls} is not null (redis-cli --tls). */
    public static ClientListener bind(String bind, int port, LimitsConfig limits, String authKey, ServerTls tls, ServerFacts facts,
                                      CoreLoop loop) {
        return bind(bind, port, limits, authKey, tls, facts, loop, new AuthThrottle());
    }

    /**
     * As above, with the {@link AuthThrottle} that slows down repeated wrong keys (the node shares one between
     * its client ports, keyed by the remote IP address).
     */
    public static ClientListener bind(String bind, int port, LimitsConfig limits, String authKey, ServerTls tls, ServerFacts facts,
                                      CoreLoop loop, AuthThrottle throttle) {
        return serve(ClientListener.hold("resp", bind, port, null), limits, authKey, tls, facts, loop, throttle);
    }

    /**
     * Serves a port bound before with {@link ClientListener#hold} (a node: on the core loop's own event loop):
     * from now on connections are accepted, those that waited in the backlog first.
     */
    public static ClientListener serve(HeldPort port, LimitsConfig limits, String authKey, ServerTls tls, ServerFacts facts,
                                       CoreLoop loop, AuthThrottle throttle) {
        AtomicLong connectionIds = new AtomicLong();
        RequestSink core = RequestSink.of(loop);
        long commandBytesMax = (long) limits.frameBytesMax() + FRAMING_SLACK_BYTES;
        return ClientListener.serve("resp", port, limits,
                tls == null ? null : () -> new TlsGate(tls, ctx -> ctx.alloc().buffer().writeBytes(
                        "-ERR this port accepts TLS only (redis-cli --tls)\r\n".getBytes(StandardCharsets.US_ASCII))),
                new RespEncoder(),
                sentence -> RespReply.Error.err("max number of clients reached"),
                (pipeline, flow) -> {
                    RespSession session = new RespSession(authKey, facts, connectionIds.incrementAndGet(), System::currentTimeMillis);
                    RespHandler handler = new RespHandler(session, core, flow, throttle);
                    pipeline.addLast("decoder", new RespDecoder(commandBytesMax, handler::command));
                    pipeline.addLast("handler", handler);
                });
    }
}
