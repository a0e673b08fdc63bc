package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import memdb.protocol.DecoderHarness.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EnvelopeDecoder through Netty's EmbeddedChannel: split-invariance, limits, failure, no leaks. */
@ExtendWith(Leaks.class)
class EnvelopeDecoderTest {
    static final int MAX = FrameCodec.FRAME_BYTES_MAX_DEFAULT;
    static final List<Envelope> SAMPLES = Samples.all();
    static final byte[] STREAM = Samples.encodeAll(SAMPLES);

    @Test
    void wholeStreamDecodesToTheSamples() {
        assertEquals(new Outcome(SAMPLES, null, 0, null), DecoderHarness.whole(STREAM, MAX));
        assertEquals(DecoderHarness.reference(STREAM, MAX), DecoderHarness.whole(STREAM, MAX));
    }

    @Test
    void splitAtEveryByteBoundaryDecodesTheSame() {
        Outcome expected = DecoderHarness.whole(STREAM, MAX);
        for (int at = 0; at <= STREAM.length; at++) {
            assertEquals(expected, DecoderHarness.splitAt(STREAM, MAX, at), "split at " + at);
        }
    }

    @Test
    void oneByteAtATimeDecodesTheSame() {
        assertEquals(DecoderHarness.whole(STREAM, MAX), DecoderHarness.byteByByte(STREAM, MAX));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void randomChunkingsDecodeTheSame(long seed) {
        Outcome expected = DecoderHarness.whole(STREAM, MAX);
        Random random = new Random(seed);
        for (int round = 0; round < 10; round++) {
            assertEquals(expected, DecoderHarness.randomChunks(STREAM, MAX, random), "seed " + seed + " round " + round);
        }
    }

    @Test
    void everyFrameSplitAtEveryBoundaryOnItsOwn() {
        for (Envelope e : SAMPLES) {
            byte[] frame = Samples.encode(e);
            for (int at = 0; at <= frame.length; at++) {
                assertEquals(List.of(e), DecoderHarness.splitAt(frame, MAX, at).envelopes(), e + " split at " + at);
            }
        }
    }

    @Test
    void oversizedLengthPrefixIsFrameTooLargeAsSoonAsItsFourBytesArrive() {
        byte[] ping = Samples.encode(Envelope.request(1, 1, new Requests.Ping()));
        byte[] stream = concat(ping, new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // no body follows
        Outcome outcome = DecoderHarness.whole(stream, MAX);
        assertEquals(1, outcome.envelopes().size(), "the frame before it is still delivered");
        assertEquals(ErrorCode.FRAME_TOO_LARGE, outcome.error());
        assertEquals(ProtocolException.NO_REQUEST_ID, outcome.errorRequestId());
        assertEquals(outcome, DecoderHarness.byteByByte(stream, MAX));

        byte[] unsignedMax = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertEquals(ErrorCode.FRAME_TOO_LARGE, DecoderHarness.whole(unsignedMax, MAX).error(), "length is unsigned");
    }

    @Test
    void theLimitIsInclusive() {
        byte[] key = Samples.repeat((byte) 'k', 100);
        byte[] frame = Samples.encode(Envelope.request(1, 1, new Requests.Get(Key.wrap(key), Consistency.ONE)));
        int length = frame.length - 4;
        assertEquals(1, DecoderHarness.whole(frame, length).envelopes().size());
        Outcome over = DecoderHarness.whole(frame, length - 1);
        assertEquals(ErrorCode.FRAME_TOO_LARGE, over.error());
        assertTrue(over.envelopes().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, FrameCodec.HEADER_BYTES - 1})
    void lengthShorterThanTheHeaderIsMalformed(int length) {
        byte[] stream = concat(new byte[] {0, 0, 0, (byte) length}, new byte[FrameCodec.HEADER_BYTES + 8]);
        Outcome outcome = DecoderHarness.whole(stream, MAX);
        assertEquals(ErrorCode.MALFORMED_FRAME, outcome.error());
        assertEquals(ProtocolException.NO_REQUEST_ID, outcome.errorRequestId());
    }

    @Test
    void afterAFailureLaterBytesAreDiscarded() {
        byte[] good = Samples.encode(Envelope.request(1, 1, new Requests.Ping()));
        byte[] bad = Samples.encode(Envelope.request(2, 1, new Requests.Ping()));
        bad[4 + FrameCodecTest.OPCODE_AT] = 0x7F;
        byte[] stream = concat(good, bad, STREAM, good);
        Outcome outcome = DecoderHarness.whole(stream, MAX);
        assertEquals(1, outcome.envelopes().size());
        assertEquals(ErrorCode.UNKNOWN_OPCODE, outcome.error());
        assertEquals(2, outcome.errorRequestId());
        // The harness fails if anything comes out of the later reads; check it in small pieces too.
        assertEquals(outcome, DecoderHarness.randomChunks(stream, MAX, new Random(7)));
    }

    @Test
    void failureSurfacesAsDecoderExceptionOnceAndThenTheChannelStaysQuiet() {
        EmbeddedChannel channel = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        ByteBuf bad = Unpooled.buffer().writeBytes(new byte[] {0, 0, 0, 16}).writeZero(16); // bad magic
        var e = assertThrows(DecoderException.class, () -> channel.writeInbound(bad));
        assertEquals(ErrorCode.MALFORMED_FRAME, ((ProtocolException) e.getCause()).code());
        assertEquals(0, bad.refCnt());
        ByteBuf later = Unpooled.buffer().writeBytes(STREAM);
        channel.writeInbound(later);
        assertNull(channel.readInbound());
        assertEquals(0, later.refCnt());
        channel.finishAndReleaseAll();
    }

    @Test
    void incompleteLastFrameIsHeldThenReleasedOnClose() {
        byte[] frame = Samples.encode(Envelope.request(1, 1, new Requests.Set(Key.of("k"), new byte[100], Consistency.ONE)));
        for (int cut = 1; cut < frame.length; cut += 7) {
            Outcome outcome = DecoderHarness.whole(java.util.Arrays.copyOf(frame, cut), MAX);
            assertEquals(new Outcome(List.of(), null, 0, null), outcome, "cut at " + cut);
        }
    }

    @Test
    void encoderWritesWhatFrameCodecWritesAndTheDecoderReadsItBack() {
        EmbeddedChannel out = new EmbeddedChannel(new EnvelopeEncoder());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Envelope e : SAMPLES) {
            out.writeOutbound(e);
            ByteBuf buf = out.readOutbound();
            byte[] frame = ByteBufUtil.getBytes(buf);
            buf.release();
            assertArrayEquals(Samples.encode(e), frame);
            bytes.writeBytes(frame);
        }
        out.finishAndReleaseAll();
        assertEquals(SAMPLES, DecoderHarness.whole(bytes.toByteArray(), MAX).envelopes());
    }

    @Test
    void encoderFailsAKeyTheWireCannotCarryWithoutLeakingOrWritingAnything() {
        EmbeddedChannel out = new EmbeddedChannel(new EnvelopeEncoder());
        Key tooLong = Key.wrap(Samples.repeat((byte) 'k', Wire.U16_MAX + 1));
        var e = assertThrows(io.netty.handler.codec.EncoderException.class,
                () -> out.writeOutbound(Envelope.request(1, 1, new Requests.Get(tooLong, Consistency.ONE))));
        assertEquals(ErrorCode.KEY_TOO_LONG, ((InvalidArgumentException) e.getCause()).code());
        assertNull(out.readOutbound());
        out.writeOutbound(Envelope.request(2, 1, new Requests.Ping()));
        ByteBuf next = out.readOutbound();
        assertEquals(List.of(Envelope.request(2, 1, new Requests.Ping())),
                DecoderHarness.whole(ByteBufUtil.getBytes(next), MAX).envelopes(), "the connection's stream is intact");
        next.release();
        assertTrue(!out.finishAndReleaseAll());
    }

    @Test
    void limitBelowTheHeaderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EnvelopeDecoder(FrameCodec.HEADER_BYTES - 1));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
