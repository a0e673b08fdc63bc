package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FrameCodec: every message round-trips; every defect is the right ProtocolException (docs/protocol.md §2-§6). */
class FrameCodecTest {
    /** Offsets inside the frame body (after the length prefix). */
    static final int MAGIC_AT = 0, VERSION_AT = 1, OPCODE_AT = 2, FLAGS_AT = 3, REQUEST_ID_AT = 4, LAMPORT_AT = 8;

    static Stream<Envelope> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageRoundTrips(Envelope envelope) {
        byte[] frame = Samples.encode(envelope);
        assertEquals(envelope, Samples.decodeFrame(frame));
        assertArrayEquals(frame, Samples.encode(Samples.decodeFrame(frame)), "re-encoding gives the same bytes");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void headerIsBigEndianAsSpecified(Envelope envelope) {
        ByteBuf frame = Unpooled.wrappedBuffer(Samples.encode(envelope));
        assertEquals(frame.readableBytes() - 4, frame.readInt(), "length counts the bytes after itself");
        assertEquals(0xDB, frame.readUnsignedByte());
        assertEquals(1, frame.readUnsignedByte());
        assertEquals(envelope.opcode().code(), frame.readUnsignedByte());
        assertEquals(envelope.flags(), frame.readUnsignedByte());
        assertEquals(envelope.requestId(), frame.readInt());
        assertEquals(envelope.lamport(), frame.readLong());
    }

    static Stream<Envelope> requestSamples() {
        return samples().filter(envelope -> envelope.message() instanceof Request);
    }

    @ParameterizedTest
    @MethodSource("requestSamples")
    void aRequestEncodedWithoutItsEnvelopeIsTheSameFrame(Envelope envelope) {
        Request request = (Request) envelope.message();
        ByteBuf direct = Unpooled.buffer();
        FrameCodec.encodeRequest(envelope.requestId(), envelope.lamport(), request, direct);
        byte[] bytes = new byte[direct.readableBytes()];
        direct.readBytes(bytes);
        assertArrayEquals(Samples.encode(envelope), bytes);
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.encodeRequest(1, -1, request, Unpooled.buffer()));
    }

    static Stream<Envelope> responseSamples() {
        return samples().filter(Envelope::isResponse);
    }

    @ParameterizedTest
    @MethodSource("responseSamples")
    void aResponseEncodedWithoutItsEnvelopeIsTheSameFrameWithTheSameChecks(Envelope envelope) {
        Response response = (Response) envelope.message();
        ByteBuf direct = Unpooled.buffer();
        FrameCodec.encodeResponse(envelope.opcode(), envelope.requestId(), envelope.lamport(), response, direct);
        byte[] bytes = new byte[direct.readableBytes()];
        direct.readBytes(bytes);
        assertArrayEquals(Samples.encode(envelope), bytes);
        ByteBuf refused = Unpooled.buffer();
        assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.encodeResponse(envelope.opcode(), 1, -1, response, refused));
        if (!(response instanceof Responses.Error)) {
            Opcode other = java.util.Arrays.stream(Opcode.values()).filter(op -> !op.responseType().isInstance(response))
                    .findFirst().orElseThrow();
            assertThrows(IllegalArgumentException.class, () -> Envelope.response(other, 1, 1, response), "the envelope's own check");
            assertThrows(IllegalArgumentException.class, () -> FrameCodec.encodeResponse(other, 1, 1, response, refused));
        }
        assertEquals(0, refused.readableBytes(), "nothing written when refused");
    }

    @Test
    void bigValuesRoundTrip() {
        byte[] value = new byte[1024 * 1024];
        new Random(1).nextBytes(value);
        Envelope set = Envelope.request(7, 3, new Requests.Set(Samples.MAX_KEY, value, Consistency.ALL));
        assertEquals(set, Samples.decodeFrame(Samples.encode(set)));
        Envelope got = Envelope.response(Opcode.GET, 7, 4, Responses.Value.present(Samples.TS, value));
        assertEquals(got, Samples.decodeFrame(Samples.encode(got)));
    }

    @Test
    void emptyAndBinaryValuesArePreservedExactly() {
        for (byte[] value : List.of(Samples.EMPTY, new byte[] {0}, Samples.ALL_BYTE_VALUES, "\r\n\0".getBytes(StandardCharsets.UTF_8))) {
            var decoded = (Requests.Set) Samples.decodeFrame(Samples.encode(
                    Envelope.request(1, 1, new Requests.Set(Key.of("k"), value, Consistency.DEFAULT)))).message();
            assertArrayEquals(value, decoded.value());
        }
    }

    @Test
    void setRequestEncodesAsInTheSpecExample() {
        // docs/protocol.md §10: SET "user:1" = "hi", QUORUM, request id 7, lamport 42.
        byte[] frame = Samples.encode(Envelope.request(7, 42,
                new Requests.Set(Key.of("user:1"), "hi".getBytes(StandardCharsets.UTF_8), Consistency.QUORUM)));
        assertEquals("0000001f" + "db011100" + "00000007" + "000000000000002a"
                + "02" + "0006" + "757365723a31" + "00000002" + "6869", hex(frame));
        byte[] response = Samples.encode(Envelope.response(Opcode.SET, 7, 43,
                new Responses.Written(new Timestamp(43, 1), false, false)));
        assertEquals("0000001b" + "db011101" + "00000007" + "000000000000002b"
                + "000000000000002b" + "0001" + "00", hex(response));
        byte[] error = Samples.encode(Envelope.response(Opcode.SET, 7, 43,
                new Responses.Error(ErrorCode.AUTH_REQUIRED, "authenticate first")));
        assertEquals("00000026" + "db011103" + "00000007" + "000000000000002b"
                + "000a" + "0012" + "61757468656e7469636174652066697273" + "74", hex(error));
    }

    @Test
    void keysUpToTheU16LimitTravelAndLongerOnesAreRefusedBeforeWriting() {
        Key wireMax = Key.wrap(Samples.repeat((byte) 'x', Wire.U16_MAX));
        Envelope get = Envelope.request(1, 1, new Requests.Get(wireMax, Consistency.ONE));
        assertEquals(get, Samples.decodeFrame(Samples.encode(get)));

        Key tooLong = Key.wrap(Samples.repeat((byte) 'x', Wire.U16_MAX + 1));
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x55);
        var e = assertThrows(InvalidArgumentException.class,
                () -> FrameCodec.encode(Envelope.request(1, 1, new Requests.Get(tooLong, Consistency.ONE)), out));
        assertEquals(ErrorCode.KEY_TOO_LONG, e.code());
        assertEquals(1, out.readableBytes(), "nothing of the failed frame is left behind");
        out.release();
    }

    @Test
    void longStringsAreCutAtACharacterBoundary() {
        String message = "é".repeat(40_000); // 80,000 bytes of two-byte characters
        Envelope error = Envelope.response(Opcode.GET, 1, 1, new Responses.Error(ErrorCode.INTERNAL, "a" + message));
        var decoded = (Responses.Error) Samples.decodeFrame(Samples.encode(error)).message();
        assertEquals("a" + "é".repeat(32_767), decoded.message(), "65,535 bytes would split an é: one byte less");
        assertFalse(decoded.message().contains("\uFFFD"));
    }

    @Test
    void invalidUtf8InStringsReadsAsReplacementCharactersAndReencodesStably() {
        byte[] version = Samples.repeat((byte) 0xFF, 30_000);
        ByteBuf body = Unpooled.buffer();
        body.writeByte(0xDB).writeByte(1).writeByte(Opcode.AUTH.code()).writeByte(Envelope.FLAG_RESPONSE)
                .writeInt(1).writeLong(1).writeShort(9).writeShort(version.length).writeBytes(version);
        Envelope decoded = FrameCodec.decode(body);
        assertEquals("\uFFFD".repeat(30_000), ((Responses.Authenticated) decoded.message()).serverVersion());
        byte[] once = Samples.encode(decoded);
        assertEquals(4 + 16 + 2 + 2 + 65_535, once.length, "90,000 bytes of U+FFFD cut to 21,845 characters");
        assertArrayEquals(once, Samples.encode(Samples.decodeFrame(once)));
    }

    @Test
    void nullErrorMessageTravelsAsEmpty() {
        Envelope error = Envelope.response(Opcode.GET, 1, 1, new Responses.Error(ErrorCode.TIMEOUT, null));
        assertEquals(new Responses.Error(ErrorCode.TIMEOUT, ""), Samples.decodeFrame(Samples.encode(error)).message());
    }

    // ---- strictness -------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("samples")
    void trailingBytesAreMalformed(Envelope envelope) {
        byte[] body = Samples.body(Samples.encode(envelope));
        for (int extra = 1; extra <= 3; extra++) {
            byte[] longer = java.util.Arrays.copyOf(body, body.length + extra);
            assertRejected(longer, ErrorCode.MALFORMED_FRAME, unsigned(envelope.requestId()));
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationIsMalformed(Envelope envelope) {
        byte[] body = Samples.body(Samples.encode(envelope));
        for (int cut = 0; cut < body.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(body, cut);
            long expectedId = cut < FrameCodec.HEADER_BYTES ? ProtocolException.NO_REQUEST_ID : unsigned(envelope.requestId());
            assertRejected(shorter, ErrorCode.MALFORMED_FRAME, expectedId);
        }
    }

    @Test
    void badMagicIsMalformedAndNamesNoRequest() {
        for (int magic : new int[] {0x00, 0xDA, 0xDC, 0xFF, 'G'}) {
            byte[] body = pingBody(99);
            body[MAGIC_AT] = (byte) magic;
            assertRejected(body, ErrorCode.MALFORMED_FRAME, ProtocolException.NO_REQUEST_ID);
        }
    }

    @Test
    void otherVersionsAreUnsupportedAndNameTheRequest() {
        for (int version = 0; version < 256; version++) {
            if (version == FrameCodec.VERSION) continue;
            byte[] body = pingBody(99);
            body[VERSION_AT] = (byte) version;
            assertRejected(body, ErrorCode.UNSUPPORTED_VERSION, 99);
        }
    }

    @Test
    void everyUnassignedOpcodeIsUnknownAndNamesTheRequest() {
        int unknown = 0;
        for (int code = 0; code < 256; code++) {
            if (Opcode.fromWire(code) != null) continue;
            unknown++;
            byte[] body = pingBody(0xFFFF_FFFF);
            body[OPCODE_AT] = (byte) code;
            assertRejected(body, ErrorCode.UNKNOWN_OPCODE, 0xFFFF_FFFFL);
        }
        assertEquals(256 - Opcode.values().length, unknown);
    }

    @Test
    void unknownFlagBitsAndErrorWithoutResponseAreMalformed() {
        for (int flags = 0; flags < 256; flags++) {
            byte[] body = pingBody(5);
            body[FLAGS_AT] = (byte) flags;
            switch (flags) {
                case 0 -> assertEquals(new Requests.Ping(), Samples.decodeBody(body).message());
                case Envelope.FLAG_RESPONSE -> assertEquals(new Responses.Ok(), Samples.decodeBody(body).message());
                default -> assertRejected(body, ErrorCode.MALFORMED_FRAME, 5); // ERROR alone, ERROR|RESPONSE with no payload, unknown bits
            }
        }
    }

    @Test
    void negativeLamportIsMalformed() {
        byte[] body = pingBody(5);
        body[LAMPORT_AT] = (byte) 0x80;
        assertRejected(body, ErrorCode.MALFORMED_FRAME, 5);

        byte[] written = Samples.body(Samples.encode(Envelope.response(Opcode.SET, 6, 1, new Responses.Written(Samples.TS, true, false))));
        written[FrameCodec.HEADER_BYTES] = (byte) 0x80; // the timestamp's lamport
        assertRejected(written, ErrorCode.MALFORMED_FRAME, 6);
    }

    @Test
    void outOfRangeFieldValuesAreMalformed() {
        int payload = FrameCodec.HEADER_BYTES;
        // Consistency 4, value state 3, boolean 2, write flags 4, negative blob length.
        assertPayloadByteRejected(Envelope.request(1, 1, new Requests.Get(Key.of("k"), Consistency.ONE)), payload, 4);
        assertPayloadByteRejected(Envelope.response(Opcode.GET, 2, 1, Responses.Value.tombstone(Samples.TS)), payload, 3);
        assertPayloadByteRejected(Envelope.response(Opcode.CONTAINS, 3, 1, new Responses.Bool(true)), payload, 2);
        assertPayloadByteRejected(Envelope.response(Opcode.SET, 4, 1, new Responses.Written(Samples.TS, true, true)), payload + 10, 4);
        assertPayloadByteRejected(Envelope.request(5, 1, new Requests.Auth(new byte[] {1})), payload, 0x80);
    }

    @Test
    void unknownErrorCodesReadAsInternal() {
        byte[] body = Samples.body(Samples.encode(Envelope.response(Opcode.GET, 9, 1, new Responses.Error(ErrorCode.TIMEOUT, "m"))));
        for (int code : new int[] {0, 5, 63, 64, 999, 0xFFFF}) {
            body[FrameCodec.HEADER_BYTES] = (byte) (code >> 8);
            body[FrameCodec.HEADER_BYTES + 1] = (byte) code;
            assertEquals(new Responses.Error(ErrorCode.INTERNAL, "m"), Samples.decodeBody(body).message());
        }
    }

    @Test
    void requestIdsAreUnsignedAndNeverConfusedWithNone() {
        for (int id : new int[] {0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -1}) {
            byte[] body = pingBody(id);
            body = java.util.Arrays.copyOf(body, body.length + 1);
            var e = assertRejected(body, ErrorCode.MALFORMED_FRAME, unsigned(id));
            assertTrue(e.hasRequestId());
            assertEquals(id, Envelope.protocolError(e, 0).requestId());
        }
    }

    @Test
    void headerTooShortForTheDecoderIsMalformedWithoutRequestId() {
        IntStream.range(0, FrameCodec.HEADER_BYTES).forEach(n ->
                assertRejected(new byte[n], ErrorCode.MALFORMED_FRAME, ProtocolException.NO_REQUEST_ID));
    }

    // ---- Envelope invariants ----------------------------------------------------------------------------

    @Test
    void envelopesThatWouldEncodeToUndecodableFramesAreRefused() {
        Request get = new Requests.Get(Key.of("k"), Consistency.ONE);
        assertThrows(IllegalArgumentException.class, () -> new Envelope(Opcode.SET, 0, 1, 1, get));
        assertThrows(IllegalArgumentException.class, () -> new Envelope(Opcode.GET, Envelope.FLAG_RESPONSE, 1, 1, get));
        assertThrows(IllegalArgumentException.class, () -> new Envelope(Opcode.GET, 0x04, 1, 1, get));
        assertThrows(IllegalArgumentException.class, () -> new Envelope(Opcode.GET, 0, 1, -1, get));
        assertThrows(IllegalArgumentException.class, () -> Envelope.response(Opcode.GET, 1, 1, new Responses.Bool(true)));
        assertThrows(IllegalArgumentException.class, () -> new Envelope(Opcode.GET, Envelope.FLAG_RESPONSE, 1, 1,
                new Responses.Error(ErrorCode.INTERNAL, "x")));
        assertThrows(IllegalArgumentException.class, () -> new Envelope(Opcode.GET,
                Envelope.FLAG_RESPONSE | Envelope.FLAG_ERROR, 1, 1, Responses.Value.ABSENT));
        assertThrows(IllegalArgumentException.class, () -> new Responses.Value(Responses.ValueState.ABSENT, Samples.TS, Samples.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new Responses.Value(Responses.ValueState.TOMBSTONE, Samples.TS, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new Responses.Authenticated(65536, "v"));
    }

    @Test
    void protocolErrorEnvelopeTravelsAsPingWithTheRequestIdOrZero() {
        var withId = new ProtocolException(ErrorCode.UNKNOWN_OPCODE, "unknown opcode 0x7F", 0xFFFF_FFFFL);
        Envelope e1 = Samples.decodeFrame(Samples.encode(Envelope.protocolError(withId, 3)));
        assertEquals(Opcode.PING, e1.opcode());
        assertEquals(-1, e1.requestId());
        assertTrue(e1.isError() && e1.isResponse());
        assertEquals(new Responses.Error(ErrorCode.UNKNOWN_OPCODE, "unknown opcode 0x7F"), e1.message());

        var noId = new ProtocolException(ErrorCode.FRAME_TOO_LARGE, "too large");
        assertEquals(Envelope.CONNECTION_REQUEST_ID, Envelope.protocolError(noId, 3).requestId());
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    static ProtocolException assertRejected(byte[] body, ErrorCode code, long requestId) {
        var e = assertThrows(ProtocolException.class, () -> Samples.decodeBody(body), () -> "body " + hex(body));
        assertEquals(code, e.code(), e::getMessage);
        assertEquals(requestId, e.requestId(), e::getMessage);
        return e;
    }

    private static void assertPayloadByteRejected(Envelope envelope, int index, int value) {
        byte[] body = Samples.body(Samples.encode(envelope));
        body[index] = (byte) value;
        assertRejected(body, ErrorCode.MALFORMED_FRAME, unsigned(envelope.requestId()));
    }

    static byte[] pingBody(int requestId) {
        return Samples.body(Samples.encode(Envelope.request(requestId, 1, new Requests.Ping())));
    }

    static long unsigned(int id) {
        return Integer.toUnsignedLong(id);
    }

    static String hex(byte[] bytes) {
        return io.netty.buffer.ByteBufUtil.hexDump(bytes);
    }
}
