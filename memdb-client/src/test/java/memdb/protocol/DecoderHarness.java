package memdb.protocol;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Feeds a byte stream to an {@link EnvelopeDecoder} in an {@link EmbeddedChannel}, in chunks, and reports
 * what came out: the envelopes and the first error. Along the way it checks the decoder's contract and
 * fails with an AssertionError when it is broken:
 * <ul>
 *   <li>only {@link ProtocolException} escapes (wrapped in Netty's DecoderException), at most once;</li>
 *   <li>after a failure nothing more comes out, whatever bytes follow;</li>
 *   <li>every buffer involved (the inputs and whatever the decoder allocated) is released at the end.</li>
 * </ul>
 * A {@link #reference} decoder that knows nothing of Netty gives the expected outcome of a whole stream.
 */
final class DecoderHarness {
    /** What decoding a stream produced; equal outcomes mean "decoded the same". */
    record Outcome(List<Envelope> envelopes, ErrorCode error, long errorRequestId, String errorMessage) {
        static Outcome of(List<Envelope> envelopes, ProtocolException e) {
            return e == null ? new Outcome(envelopes, null, 0, null)
                    : new Outcome(envelopes, e.code(), e.requestId(), e.getMessage());
        }

        @Override public String toString() {
            return envelopes.size() + " envelopes " + envelopes + (error == null ? "" : ", then " + error + "#" + errorRequestId + " (" + errorMessage + ")");
        }
    }

    private DecoderHarness() {}

    /**
     * The stream in one piece, with every buffer leak-aware: at the build's paranoid level Netty's detector
     * records each access, which is cheap for one read but far too slow for the many small reads of the
     * chunked runs (those rely on the exact refCnt check alone).
     */
    static Outcome whole(byte[] stream, int frameBytesMax) {
        return chunked(stream, frameBytesMax, new int[] {stream.length}, true);
    }

    /** Split in two at {@code at}. */
    static Outcome splitAt(byte[] stream, int frameBytesMax, int at) {
        return chunked(stream, frameBytesMax, new int[] {at, stream.length - at});
    }

    /** One byte per read. */
    static Outcome byteByByte(byte[] stream, int frameBytesMax) {
        int[] sizes = new int[stream.length];
        java.util.Arrays.fill(sizes, 1);
        return chunked(stream, frameBytesMax, sizes);
    }

    /** Random chunk sizes (including empty reads) drawn from {@code random}. */
    static Outcome randomChunks(byte[] stream, int frameBytesMax, Random random) {
        List<Integer> sizes = new ArrayList<>();
        int left = stream.length;
        while (left > 0) {
            int size = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(3);            // 0..2 bytes: empty reads and splits inside fields
                case 1 -> random.nextInt(17);           // inside a header
                default -> random.nextInt(Math.max(1, left)) + 1;
            };
            size = Math.min(size, left);
            sizes.add(size);
            left -= size;
        }
        return chunked(stream, frameBytesMax, sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    static Outcome chunked(byte[] stream, int frameBytesMax, int[] chunkSizes) {
        return chunked(stream, frameBytesMax, chunkSizes, false);
    }

    static Outcome chunked(byte[] stream, int frameBytesMax, int[] chunkSizes, boolean leakAware) {
        TrackingAllocator allocator = new TrackingAllocator(leakAware);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(new EnvelopeDecoder(frameBytesMax));
        List<ByteBuf> inputs = new ArrayList<>();
        List<Envelope> envelopes = new ArrayList<>();
        ProtocolException error = null;
        int offset = 0;
        try {
            for (int size : chunkSizes) {
                ByteBuf chunk = allocator.heapBuffer(size).writeBytes(stream, offset, size);
                offset += size;
                inputs.add(chunk);
                ProtocolException thrown = write(channel, chunk);
                int before = envelopes.size();
                drain(channel, envelopes);
                if (error != null && (thrown != null || envelopes.size() > before)) {
                    throw new AssertionError("decoder produced more after failing with " + error.code()
                            + ": " + (thrown != null ? thrown : envelopes.subList(before, envelopes.size())));
                }
                if (thrown != null) error = thrown;
            }
            if (offset != stream.length) throw new IllegalArgumentException("chunk sizes do not add up");
        } finally {
            boolean leftovers = channel.finishAndReleaseAll();
            if (leftovers && error == null) drain(channel, envelopes); // nothing should be left; released either way
            assertReleased(inputs, "input");
            assertReleased(allocator.allocated, "decoder-allocated");
        }
        return Outcome.of(envelopes, error);
    }

    private static ProtocolException write(EmbeddedChannel channel, ByteBuf chunk) {
        try {
            channel.writeInbound(chunk);
            return null;
        } catch (DecoderException e) {
            if (e.getCause() instanceof ProtocolException p) return p;
            throw new AssertionError("decoder failed with something other than a ProtocolException", e);
        } catch (ProtocolException e) {
            return e;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoder failed with something other than a ProtocolException", e);
        }
    }

    private static void drain(EmbeddedChannel channel, List<Envelope> into) {
        for (Object m; (m = channel.readInbound()) != null; ) {
            if (!(m instanceof Envelope e)) throw new AssertionError("decoder produced " + m.getClass());
            into.add(e);
        }
    }

    private static void assertReleased(List<ByteBuf> buffers, String what) {
        for (ByteBuf b : buffers) {
            if (b.refCnt() != 0) throw new AssertionError(what + " buffer not released: refCnt " + b.refCnt() + " " + b);
        }
    }

    /**
     * A dumb reference: the framing rules of docs/protocol.md §2 written out plainly over a byte array,
     * FrameCodec for the frame bodies. Bytes of an incomplete last frame are simply waited for.
     */
    static Outcome reference(byte[] stream, int frameBytesMax) {
        List<Envelope> envelopes = new ArrayList<>();
        int at = 0;
        while (stream.length - at >= 4) {
            long length = ((stream[at] & 0xFFL) << 24) | ((stream[at + 1] & 0xFF) << 16) | ((stream[at + 2] & 0xFF) << 8) | (stream[at + 3] & 0xFF);
            if (length > frameBytesMax) {
                return Outcome.of(envelopes, new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
                        "frame of " + length + " bytes exceeds the limit of " + frameBytesMax + " bytes"));
            }
            if (length < FrameCodec.HEADER_BYTES) {
                return Outcome.of(envelopes, Wire.malformed("frame length " + length + " is shorter than the header"));
            }
            if (stream.length - at - 4 < length) break;
            try {
                envelopes.add(FrameCodec.decode(Unpooled.wrappedBuffer(stream, at + 4, (int) length)));
            } catch (ProtocolException e) {
                return Outcome.of(envelopes, e);
            }
            at += 4 + (int) length;
        }
        return Outcome.of(envelopes, null);
    }

    /**
     * An unpooled allocator that remembers every buffer it hands out, so that the test can check they were
     * all released; optionally leak-aware (Netty itself never tracks unpooled heap buffers).
     */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> allocated = new ArrayList<>();
        private final boolean leakAware;

        TrackingAllocator(boolean leakAware) {
            super(false);
            this.leakAware = leakAware;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private ByteBuf track(ByteBuf buf) {
            ByteBuf handedOut = leakAware ? toLeakAwareBuffer(buf) : buf;
            allocated.add(Objects.requireNonNull(handedOut));
            return handedOut;
        }
    }
}
