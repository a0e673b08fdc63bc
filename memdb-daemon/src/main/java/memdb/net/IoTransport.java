package memdb.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/** Netty's native epoll transport where it is available (Linux), else the portable NIO one. */
public record IoTransport(String name, Supplier<IoHandlerFactory> ioHandlerFactory, Class<? extends ServerChannel> serverChannelClass) {
    public static IoTransport detect() {
        return Epoll.isAvailable()
                ? new IoTransport("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class)
                : new IoTransport("nio", NioIoHandler::newFactory, NioServerSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix),
                ioHandlerFactory.get());
    }
}
