package memdb.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import memdb.node.LimitsConfig;

/**
 * What every client listener of a node shares (the native port, {@link ClientServer}, and the RESP port,
 * memdb.resp.RespServer): the event loops, and the limits and back-pressure of each channel. Pipeline:
 * <pre>
 *   [TlsGate → SslHandler] → encoder (shared) → ConnectionTracker (shared: max-connections) → IdleStateHandler (idle-timeout-ms)
 *     → FlowControl (max-pending-per-connection, writability, idle close) → the listener's decoder and handler
 * </pre>
 * Each channel's outbound buffer has the water marks {@link #WRITE_BUFFER_LOW_BYTES} and
 * {@link #WRITE_BUFFER_HIGH_BYTES}: above the high mark the channel is not writable and is not read from
 * until it drains below the low mark. Lifecycle: {@link #bind} (or, in a node, {@link #hold} before the op
 * log's replay, then {@link #serve}) → {@link #stopAccepting()} (no new connections; open ones keep being
 * answered) → {@link #close()} (closes every connection, stops the loops it made). In a node the channels are
 * served on the core's own event loop (memdb.node.CoreLoop), which the node stops after closing its listeners.
 */
public final class ClientListener implements AutoCloseable {
    public static final int WRITE_BUFFER_LOW_BYTES = 256 * 1024;
    public static final int WRITE_BUFFER_HIGH_BYTES = 1024 * 1024;

    /** Adds a listener's own decoder and handler at the end of a channel's pipeline. */
    public interface Stages {
        void addLast(ChannelPipeline pipeline, FlowControl flow);
    }

    private final HeldPort port;
    private final ConnectionTracker tracker;
    private final String transportName;

    private ClientListener(HeldPort port, ConnectionTracker tracker, String transportName) {
        this.port = port;
        this.tracker = tracker;
        this.transportName = transportName;
    }

    /**
     * Listens on {@code bind:port} (port 0: any free port). {@code name} names the listener in thread names
     * and log lines ("client", "resp"); {@code refusal} makes the listener's error reply for a sentence.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ClientListener bind(String name, String bind, int port, LimitsConfig limits, ChannelHandler encoder,
                                      Function<String, Object> refusal, Stages stages) {
        return bind(name, bind, port, limits, null, encoder, refusal, stages);
    }

    /**
     * As above, with {@code gate} (when not null) making each channel's first handler: the TLS stage
     * (memdb.tls.TlsGate), in front of everything else.
     */
    public static ClientListener bind(String name, String bind, int port, LimitsConfig limits, Supplier<ChannelHandler> gate,
                                      ChannelHandler encoder, Function<String, Object> refusal, Stages stages) {
        return serve(name, hold(name, bind, port, null), limits, gate, encoder, refusal, stages);
    }

    /**
     * Binds {@code bind:port} for the listener {@code name}, accepting nothing until {@link #serve} (a node binds
     * its ports before it replays its op log). Connections are served on {@code shared} when it is not null (a
     * node: the core loop's event loop), which the caller stops after {@link #close()}; with null, on event
     * loops of the listener's own (one acceptor, one worker per CPU), which close stops.
     *
     * @throws UncheckedIOException "cannot listen [for NAME] on bind:port: reason" when it cannot be bound
     */
    public static HeldPort hold(String name, String bind, int port, EventLoopGroup shared) {
        if (shared != null) return HeldPort.bind(purpose(name), bind, port, shared, shared);
        IoTransport transport = IoTransport.detect();
        EventLoopGroup acceptors = transport.newGroup(1, "memdb-" + name + "-accept");
        EventLoopGroup workers = transport.newGroup(Runtime.getRuntime().availableProcessors(), "memdb-" + name + "-io");
        return HeldPort.bind(purpose(name), bind, port, acceptors, workers, acceptors, workers);
    }

    /** Serves a port bound with {@link #hold} (or {@link HeldPort#bind}): from now on connections are accepted. */
    public static ClientListener serve(String name, HeldPort port, LimitsConfig limits, Supplier<ChannelHandler> gate,
                                       ChannelHandler encoder, Function<String, Object> refusal, Stages stages) {
        ConnectionTracker tracker = new ConnectionTracker(name, limits.connectionsMax(), refusal);
        port.serve(channel -> {
            channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES));
            ChannelPipeline pipeline = channel.pipeline();
            if (gate != null) pipeline.addLast("tls", gate.get());
            pipeline.addLast("encoder", encoder);
            pipeline.addLast("connections", tracker);
            if (limits.idleTimeoutMs() > 0) {
                // Idle = nothing read for the timeout. Every reply answers something read, and a client that does
                // not read its replies is not read from either (FlowControl), so reads alone tell; watching
                // writes too would put a promise and a listener on every write.
                pipeline.addLast("idle", new IdleStateHandler(limits.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
            }
            FlowControl flow = new FlowControl(limits.pendingPerConnectionMax(), name);
            pipeline.addLast("flow", flow);
            stages.addLast(pipeline, flow);
        });
        return new ClientListener(port, tracker, IoTransport.detect().name());
    }

    /** How a bind error names the listener: nothing for the client port, "for RESP" for the resp one. */
    private static String purpose(String name) {
        return name.equals("client") ? "" : "for " + name.toUpperCase(java.util.Locale.ROOT);
    }

    public InetSocketAddress localAddress() {
        return port.localAddress();
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
        port.stopAccepting();
    }

    /** Closes every connection (after the replies already handed to them) and stops the listener's own event loops. */
    @Override
    public void close() {
        stopAccepting();
        tracker.closeAll();
        port.close();
    }
}
