package memdb.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link RespReply} values in their RESP2 wire form; stateless, so one instance serves every channel. */
@ChannelHandler.Sharable
final class RespEncoder extends MessageToByteEncoder<RespReply> {
    /**
     * A plain type test: the matcher it replaces calls Class.isInstance on a field for every write (1.6% of the
     * event loop's Java time).
     */
    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof RespReply;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RespReply reply, ByteBuf out) {
        reply.encode(out);
    }
}
