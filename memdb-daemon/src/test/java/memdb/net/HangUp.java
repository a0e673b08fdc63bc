package memdb.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A test stage between a decoder and a client handler: closes the channel as the {@code n}-th decoded message
 * passes, then hands it on, so that it and the messages decoded after it in the same read reach the handler
 * with the channel inactive (as when a client sends a pipeline and hangs up).
 */
public final class HangUp extends ChannelInboundHandlerAdapter {
    private final int atMessage;
    private int seen;

    /** @param atMessage the 1-based number of the message at which the channel closes */
    public HangUp(int atMessage) {
        this.atMessage = atMessage;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (++seen == atMessage) ctx.channel().close();
        ctx.fireChannelRead(msg);
    }
}
