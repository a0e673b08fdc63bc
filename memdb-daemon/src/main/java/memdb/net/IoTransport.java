package memdb.net;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.Function;

/**
 * Netty's native epoll transport where it is available (Linux), else the portable NIO one, and how its event loops
 * wait for work: sleeping at once (Netty's default), or polling for a while first ({@link BusyPoll}).
 */
public record IoTransport(String name, Function<SelectStrategyFactory, IoHandlerFactory> handlerFactoryFor,
                          Class<? extends ServerChannel> serverChannelClass) {
    public static IoTransport detect() {
        return Epoll.isAvailable()
                ? new IoTransport("epoll", strategy -> EpollIoHandler.newFactory(0, strategy), EpollServerSocketChannel.class)
                : new IoTransport("nio", strategy -> NioIoHandler.newFactory(SelectorProvider.provider(), strategy),
                        NioServerSocketChannel.class);
    }

    /** Loops that sleep as soon as they have nothing to do. */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return newGroup(threads, threadPrefix, 0);
    }

    /** Loops that poll for {@code busyPollMicros} before they sleep ({@link BusyPoll}); 0: they sleep at once. */
    public EventLoopGroup newGroup(int threads, String threadPrefix, long busyPollMicros) {
        SelectStrategyFactory strategy = busyPollMicros > 0 ? () -> new BusyPoll(busyPollMicros) : DefaultSelectStrategyFactory.INSTANCE;
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix), handlerFactoryFor.apply(strategy));
    }
}
