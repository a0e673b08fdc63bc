package memdb.resp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/** Counts the reads a pipeline asks its channel for (what would reach the socket); add it first, then read {@link #asked}. */
final class ReadRequests extends ChannelOutboundHandlerAdapter {
    int asked;

    @Override
    public void read(ChannelHandlerContext ctx) {
        asked++;
        ctx.read();
    }
}
