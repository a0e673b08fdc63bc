import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The floor of a Netty RESP server (bench/resp-floor.sh): one event loop, one handler that counts the commands
 * in what it read (each starts with '*'; redis-benchmark's SET/GET payloads have none) and answers each with
 * +OK, or a 3-byte bulk for a read holding a GET, written and flushed once per read, as a node does. No
 * parsing, no store: what Netty's epoll transport alone costs per request, to set against Redis and a node.
 *
 *   java -cp memdb.jar:CLASSES BareNettyResp PORT
 */
public final class BareNettyResp {
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "$3\r\nxxx\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new Replies());
                    }
                })
                .bind("127.0.0.1", Integer.parseInt(args[0])).sync().channel().closeFuture().sync();
    }

    private static final class Replies extends ChannelInboundHandlerAdapter {
        private ByteBuf out;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            int commands = 0;
            boolean get = false;
            for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                byte b = in.getByte(i);
                if (b == '*') commands++;
                else if (b == 'G') get = true;
            }
            in.release();
            if (out == null) out = ctx.alloc().ioBuffer();
            for (int i = 0; i < commands; i++) out.writeBytes(get ? VALUE : OK);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (out == null) return;
            ctx.writeAndFlush(out, ctx.voidPromise());
            out = null;
        }
    }
}
