package memdb.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
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
 * until it drains below the low mark. Lifecycle: {@link #bind} → {@link #stopAccepting()} (no new
 * connections; open ones keep being answered) → {@link #close()} (closes every connection, stops the loops
 * it made). In a node the channels are served on the core's own event loop (memdb.node.CoreLoop), which the
 * node stops after closing its listeners.
 */
public final class ClientListener implements AutoCloseable {
    public static final int WRITE_BUFFER_LOW_BYTES = 256 * 1024;
    public static final int WRITE_BUFFER_HIGH_BYTES = 1024 * 1024;
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    /** Adds a listener's own decoder and handler at the end of a channel's pipeline. */
    public interface Stages {
        void addLast(ChannelPipeline pipeline, FlowControl flow);
    }

    /** The event loops the listener made itself and stops on close (none when it serves on a shared group). */
    private final EventLoopGroup[] ownGroups;
    private final Channel serverChannel;
    private final ConnectionTracker tracker;
    private final String transportName;

    private ClientListener(EventLoopGroup[] ownGroups, Channel serverChannel, ConnectionTracker tracker, String transportName) {
        this.ownGroups = ownGroups;
        this.serverChannel = serverChannel;
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
        return bind(name, bind, port, limits, gate, encoder, refusal, stages, null);
    }

    /**
     * As above, serving the listening socket and every connection on {@code shared} when it is not null (a
     * node: the core loop's event loop, or the node's I/O group), which the caller owns and stops after
     * {@link #close()}; with null, on event loops of the listener's own (one acceptor, one worker per CPU).
     */
    public static ClientListener bind(String name, String bind, int port, LimitsConfig limits, Supplier<ChannelHandler> gate,
                                      ChannelHandler encoder, Function<String, Object> refusal, Stages stages,
                                      EventLoopGroup shared) {
        IoTransport transport = IoTransport.detect();
        EventLoopGroup acceptors = shared != null ? shared : transport.newGroup(1, "memdb-" + name + "-accept");
        EventLoopGroup workers = shared != null ? shared
                : transport.newGroup(Runtime.getRuntime().availableProcessors(), "memdb-" + name + "-io");
        EventLoopGroup[] owned = shared != null ? new EventLoopGroup[0] : new EventLoopGroup[] {acceptors, workers};
        ConnectionTracker tracker = new ConnectionTracker(name, limits.connectionsMax(), refusal);
        ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
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
            }
        };
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
                .childHandler(initializer)
                .bind(new InetSocketAddress(bind, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown(owned);
            Throwable cause = bound.cause();
            String what = name.equals("client") ? "" : " for " + name.toUpperCase(java.util.Locale.ROOT);
            throw new UncheckedIOException("cannot listen" + what + " on " + bind + ":" + port + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        return new ClientListener(owned, bound.channel(), tracker, transport.name());
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

    /** Closes every connection (after the replies already handed to them) and stops the listener's own event loops. */
    @Override
    public void close() {
        stopAccepting();
        tracker.closeAll();
        shutdown(ownGroups);
    }

    private static void shutdown(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (EventLoopGroup group : groups) group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
    }
}
