package memdb.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link RespReply} values in their RESP2 wire form; stateless, so one instance serves every channel. */
@ChannelHandler.Sharable
final class RespEncoder extends MessageToByteEncoder<RespReply> {
    @Override
    protected void encode(ChannelHandlerContext ctx, RespReply reply, ByteBuf out) {
        reply.encode(out);
    }
}
