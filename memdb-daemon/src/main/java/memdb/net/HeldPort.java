package memdb.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A listening port that is bound before it is served: a node binds its ports first, so that a port in use
 * is reported at once, and serves them only once its op log is replayed, so that no client ever sees a
 * half-loaded store (docs/operations.md, "Boot"). Between {@link #bind} and {@link #serve} the socket is
 * bound and listening but accepts nothing (the server channel's AUTO_READ is off): a client's connect
 * completes in the kernel's backlog and its first request waits there, to be read once the node serves.
 *
 * <p>Invariants: no connection is accepted before {@link #serve} (a child channel that would be is closed);
 * {@link #close()} closes the socket and shuts down the event loops handed over as owned, also when the
 * port was never served.
 */
public final class HeldPort implements AutoCloseable {
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final Channel serverChannel;
    private final EventLoopGroup[] owned;
    /** Builds each accepted connection's pipeline; null until {@link #serve}. */
    private final AtomicReference<Consumer<Channel>> pipeline;

    private HeldPort(Channel serverChannel, EventLoopGroup[] owned, AtomicReference<Consumer<Channel>> pipeline) {
        this.serverChannel = serverChannel;
        this.owned = owned;
        this.pipeline = pipeline;
    }

    /**
     * Binds {@code host:port} (port 0: any free port) on {@code acceptors}, with connections to be served on
     * {@code workers}; the port closes {@code owned} with itself (none when the caller owns the loops).
     * {@code purpose} names the port in the error, e.g. "for the admin API" ("" for the client port).
     *
     * @throws UncheckedIOException "cannot listen [purpose] on host:port: reason" when it cannot be bound
     *     (the owned loops are shut down then)
     */
    public static HeldPort bind(String purpose, String host, int port, EventLoopGroup acceptors, EventLoopGroup workers,
                                EventLoopGroup... owned) {
        AtomicReference<Consumer<Channel>> pipeline = new AtomicReference<>();
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(IoTransport.detect().serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false) // accept nothing until serve()
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        Consumer<Channel> served = pipeline.get();
                        if (served == null) channel.close(); // never: nothing is accepted before serve()
                        else served.accept(channel);
                    }
                })
                .bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown(owned);
            Throwable cause = bound.cause();
            String what = purpose.isEmpty() ? "" : " " + purpose;
            throw new UncheckedIOException("cannot listen" + what + " on " + host + ":" + port + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        return new HeldPort(bound.channel(), owned, pipeline);
    }

    /** Starts accepting: each connection, including those already waiting in the backlog, gets {@code pipeline}. */
    public void serve(Consumer<Channel> pipeline) {
        this.pipeline.set(pipeline);
        serverChannel.config().setAutoRead(true);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes the listening socket (connections already accepted stay open). */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Closes the listening socket and shuts down the owned event loops. Idempotent. */
    @Override
    public void close() {
        stopAccepting();
        shutdown(owned);
    }

    /** Stops event loops, once nothing is served on them any more: at most 2 s of grace, then waits up to 4 s. */
    public static void shutdown(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (EventLoopGroup group : groups) group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
    }
}
