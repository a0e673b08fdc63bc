package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import memdb.protocol.DecoderHarness.Outcome;

/**
 * The properties every byte stream must satisfy, shared by the Jazzer fuzz test and the seeded mutation
 * tests. {@link DecoderHarness} already fails when anything but a ProtocolException escapes, when output
 * follows a failure, or when a buffer is left unreleased; on top of that:
 * <ol>
 *   <li>Netty's decoder agrees with the plain {@link DecoderHarness#reference reference} decoder;</li>
 *   <li>the outcome does not depend on how the bytes are split into reads;</li>
 *   <li>the same holds under a tiny frame limit (FRAME_TOO_LARGE paths);</li>
 *   <li>every envelope that decodes re-encodes to a frame that decodes to an envelope with the same encoding
 *       (not always an equal envelope: invalid UTF-8 in a string field reads as U+FFFD, which re-encodes
 *       longer and may then be cut at the u16 limit, docs/protocol.md §3).</li>
 * </ol>
 */
final class DecoderProperties {
    static final int SMALL_LIMIT = 64;
    /** Byte-by-byte decoding of long inputs costs more than it finds. */
    static final int BYTE_BY_BYTE_MAX = 2048;

    private DecoderProperties() {}

    static Outcome check(byte[] stream, Random random) {
        Outcome whole = DecoderHarness.whole(stream, FrameCodec.FRAME_BYTES_MAX_DEFAULT);
        assertEquals(DecoderHarness.reference(stream, FrameCodec.FRAME_BYTES_MAX_DEFAULT), whole, "Netty vs reference");
        assertEquals(whole, DecoderHarness.randomChunks(stream, FrameCodec.FRAME_BYTES_MAX_DEFAULT, random), "random chunks");
        if (stream.length <= BYTE_BY_BYTE_MAX) {
            assertEquals(whole, DecoderHarness.byteByByte(stream, FrameCodec.FRAME_BYTES_MAX_DEFAULT), "byte by byte");
        }
        Outcome small = DecoderHarness.whole(stream, SMALL_LIMIT);
        assertEquals(DecoderHarness.reference(stream, SMALL_LIMIT), small, "small limit: Netty vs reference");
        assertEquals(small, DecoderHarness.randomChunks(stream, SMALL_LIMIT, random), "small limit: random chunks");
        for (Envelope e : whole.envelopes()) {
            byte[] frame = Samples.encode(e);
            assertArrayEquals(frame, Samples.encode(Samples.decodeFrame(frame)), () -> "re-encoding " + e);
        }
        return whole;
    }
}
