package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzzing of {@link EnvelopeDecoder} with Jazzer: any byte string goes through the decoder in
 * an EmbeddedChannel and must satisfy {@link DecoderProperties} (only ProtocolException escapes, no leaks,
 * split-invariance, agreement with the reference decoder).
 *
 * <p>Under plain {@code mvn test} this replays the saved inputs in
 * {@code src/test/resources/memdb/protocol/EnvelopeDecoderFuzzTestInputs/decoder/} (seeds and every crash
 * ever found) as regression tests. To fuzz (docs/protocol.md §11):
 * <pre>JAZZER_FUZZ=1 mvn -o -pl memdb-client test -Dtest=EnvelopeDecoderFuzzTest#decoder</pre>
 * ({@code #frameBody} fuzzes FrameCodec alone, much faster; Jazzer fuzzes one method per run.)
 * A crashing input is written to that directory; fix the bug and commit the input.
 */
@ExtendWith(Leaks.class)
class EnvelopeDecoderFuzzTest {
    static {
        // Replaying saved inputs needs no instrumentation: Jazzer's hooks only guide mutation (and its
        // sanitizers look for injection bugs a byte decoder cannot have), and rewriting every loaded class
        // costs ~20 s per plain `mvn test`. Fuzzing (JAZZER_FUZZ=1) keeps them; -Djazzer.hooks wins over both.
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void decoder(byte[] stream) {
        // Chunk sizes derive from the input itself, so that a finding replays exactly.
        DecoderProperties.check(stream, new Random(Arrays.hashCode(stream)));
    }

    /**
     * A faster, narrower target: one frame body straight into {@link FrameCodec#decode}. Only
     * ProtocolException may escape; it names the request id exactly when the header was readable and its
     * magic matched; whatever decodes re-encodes to the same body when its strings were valid UTF-8.
     */
    @FuzzTest(maxDuration = "5m")
    void frameBody(byte[] body) {
        try {
            Envelope decoded = Samples.decodeBody(body);
            byte[] reencoded = Samples.body(Samples.encode(decoded));
            if (!Arrays.equals(body, reencoded)) {
                // The lossy parts of the format: invalid UTF-8 in a string field of any message (read as U+FFFD:
                // an error's text, a version, a member's host...) and error codes this version does not know
                // (read as INTERNAL).
                assertArrayEquals(reencoded, Samples.body(Samples.encode(Samples.decodeBody(reencoded))));
                assertTrue(decoded.message() instanceof Responses.Error || decoded.message().toString().contains("\uFFFD"),
                        () -> "only invalid UTF-8 and error codes may re-encode differently: " + decoded);
            }
        } catch (ProtocolException e) {
            boolean headerRead = body.length >= FrameCodec.HEADER_BYTES && (body[0] & 0xFF) == FrameCodec.MAGIC;
            long expected = headerRead ? ((body[4] & 0xFFL) << 24 | (body[5] & 0xFF) << 16 | (body[6] & 0xFF) << 8 | (body[7] & 0xFF))
                    : ProtocolException.NO_REQUEST_ID;
            assertEquals(expected, e.requestId(), e::getMessage);
        }
    }

    /**
     * Regenerates the seed inputs (a tool, not a test): run this class's main with the inputs directory,
     * {@code <abs path>/EnvelopeDecoderFuzzTestInputs}, as its argument, on the test class path.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "decoder");
        Path bodies = Path.of(args[0], "frameBody");
        Files.createDirectories(dir);
        Files.createDirectories(bodies);
        int index = 0;
        for (Envelope e : List.of(
                Envelope.request(1, 1, new Requests.Auth("key".getBytes())),
                Envelope.request(2, 2, new Requests.Ping()),
                Envelope.request(3, 3, new Requests.Get(Key.of("k"), Consistency.ONE)),
                Envelope.request(4, 4, new Requests.Set(Key.of("k"), Samples.ALL_BYTE_VALUES, Consistency.QUORUM)),
                Envelope.request(5, 5, new Requests.Set(Samples.UNICODE_KEY, Samples.EMPTY, Consistency.ALL)),
                Envelope.request(6, 6, new Requests.Delete(Key.of("k"), Consistency.DEFAULT)),
                Envelope.request(7, 7, new Requests.Contains(Key.of("k"), Consistency.ONE)),
                Envelope.response(Opcode.AUTH, 1, 8, new Responses.Authenticated(1, "0.1.0")),
                Envelope.response(Opcode.PING, 2, 9, new Responses.Ok()),
                Envelope.response(Opcode.GET, 3, 10, Responses.Value.present(Samples.TS, new byte[] {1, 2})),
                Envelope.response(Opcode.GET, 3, 10, Responses.Value.tombstone(Samples.TS)),
                Envelope.response(Opcode.GET, 3, 10, Responses.Value.ABSENT),
                Envelope.response(Opcode.SET, 4, 11, new Responses.Written(Samples.TS, true, true)),
                Envelope.response(Opcode.CONTAINS, 7, 12, new Responses.Bool(true)),
                Envelope.response(Opcode.GET, 3, 13, new Responses.Error(ErrorCode.AUTH_REQUIRED, "authenticate first")))) {
            String type = e.message().getClass().getSimpleName().toLowerCase();
            String name = String.format("valid-%02d-%s-%s", index++, e.opcode(), type);
            write(dir, name, Samples.encode(e));
            write(bodies, name, Samples.body(Samples.encode(e)));
        }
        // One valid frame of every message the protocol tests know (every opcode, requests and responses), so the
        // fuzzer starts from each message's layout, not only the first few opcodes'.
        int sample = 0;
        for (Envelope e : Samples.all()) {
            String name = String.format("sample-%03d-%s-%s", sample++, e.opcode(), e.message().getClass().getSimpleName().toLowerCase());
            write(dir, name, Samples.encode(e));
            write(bodies, name, Samples.body(Samples.encode(e)));
        }
        byte[] set = Samples.encode(Envelope.request(4, 4, new Requests.Set(Key.of("key"), new byte[] {9, 9, 9}, Consistency.ONE)));
        write(dir, "pipelined-samples", Samples.encodeAll(Samples.all()));
        write(dir, "truncated-set", Arrays.copyOf(set, set.length - 2));
        write(dir, "trailing-byte", withLength(Arrays.copyOf(set, set.length + 1)));
        write(dir, "oversized-length", new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xDB, 1});
        write(dir, "length-below-header", new byte[] {0, 0, 0, 3, (byte) 0xDB, 1, 2});
        write(dir, "bad-magic", patch(set, 4, 0xDA));
        write(dir, "bad-version", patch(set, 5, 2));
        write(dir, "unknown-opcode", patch(set, 6, 0x7F));
        write(dir, "unknown-flags", patch(set, 7, 0x80));
        write(dir, "negative-blob-length", patch(set, set.length - 7, 0x80));
        write(dir, "frame-then-garbage", EnvelopeDecoderTest.concat(set, set, new byte[] {0, 0, 0, 20, 1, 2, 3}));
        write(bodies, "header-only", Arrays.copyOf(Samples.body(set), FrameCodec.HEADER_BYTES));
        byte[] unknownCode = Samples.body(Samples.encode(Envelope.response(Opcode.GET, 9, 9,
                new Responses.Error(ErrorCode.INTERNAL, "x"))));
        unknownCode[FrameCodec.HEADER_BYTES] = 0x03; // error code 999: reads as INTERNAL, re-encodes as 50
        unknownCode[FrameCodec.HEADER_BYTES + 1] = (byte) 0xE7;
        write(bodies, "error-unknown-code", unknownCode);
    }

    private static byte[] patch(byte[] frame, int index, int value) {
        byte[] copy = frame.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] withLength(byte[] frame) {
        int length = frame.length - 4;
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        return frame;
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }
}
