package memdb.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Netty inbound stage: bytes in, {@link Envelope}s out, however the bytes are split across reads.
 * A length outside [{@link FrameCodec#HEADER_BYTES}, frameBytesMax] or an undecodable frame raises a
 * {@link ProtocolException} (wrapped in Netty's DecoderException; envelopes decoded before it are
 * delivered first) and every later byte on the connection is discarded: the handler after it answers
 * with {@link Envelope#protocolError} and closes the channel (docs/protocol.md §2.3).
 *
 * <p>An oversized length is rejected as soon as its four bytes arrive, without buffering the body, so a
 * peer cannot make the node hold more than {@code frameBytesMax} bytes for it. The outcome never depends
 * on how the bytes are split into reads.
 */
public final class EnvelopeDecoder extends ByteToMessageDecoder {
    private final int frameBytesMax;
    private boolean failed;

    public EnvelopeDecoder(int frameBytesMax) {
        if (frameBytesMax < FrameCodec.HEADER_BYTES) throw new IllegalArgumentException("frameBytesMax too small");
        this.frameBytesMax = frameBytesMax;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_BYTES) return;
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > frameBytesMax) {
            fail(in, new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + length + " bytes exceeds the limit of " + frameBytesMax + " bytes"));
        }
        if (length < FrameCodec.HEADER_BYTES) {
            fail(in, Wire.malformed("frame length " + length + " is shorter than the header"));
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_BYTES + length) return;
        in.skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
        ByteBuf frame = in.readSlice((int) length);
        try {
            out.add(FrameCodec.decode(frame));
        } catch (ProtocolException e) {
            fail(in, e);
        }
    }

    private void fail(ByteBuf in, ProtocolException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        throw e;
    }
}
