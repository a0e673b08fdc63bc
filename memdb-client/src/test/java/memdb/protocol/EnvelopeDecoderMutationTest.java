package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import memdb.protocol.DecoderHarness.Outcome;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded, deterministic cousin of the fuzz test: each seed builds a pipeline of random valid frames,
 * checks it decodes to exactly those envelopes however it is split, then mutates it (bit flips, interesting
 * bytes, truncation, insertion, deletion, duplication, length-prefix nudges) and checks
 * {@link DecoderProperties}. A failure names its seed; replay one with
 * {@code -Dtest=EnvelopeDecoderMutationTest -Dmemdb.seed=N}.
 */
@ExtendWith(Leaks.class)
class EnvelopeDecoderMutationTest {
    static final int SEEDS = 200;
    static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x0F, 0x10, 0x11, 0x7F, 0x80, 0xDB, 0xFE, 0xFF};

    static LongStream seeds() {
        String one = System.getProperty("memdb.seed");
        return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedFrames(long seed) {
        Random random = new Random(seed);
        byte[] mutated = null;
        try {
            List<Envelope> envelopes = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) envelopes.add(Samples.random(random));
            byte[] valid = Samples.encodeAll(envelopes);
            Outcome outcome = DecoderProperties.check(valid, random);
            assertEquals(new Outcome(envelopes, null, 0, null), outcome, "valid frames decode to themselves");

            mutated = mutate(valid, random);
            DecoderProperties.check(mutated, random);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " failed (replay: -Dtest=EnvelopeDecoderMutationTest -Dmemdb.seed="
                    + seed + ")" + (mutated == null ? "" : "; mutated input " + ByteBufUtil.hexDump(mutated)), e);
        }
    }

    static byte[] mutate(byte[] input, Random random) {
        byte[] bytes = input;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(7)) {
                case 0 -> flipBit(bytes, at, random.nextInt(8));
                case 1 -> set(bytes, at, INTERESTING[random.nextInt(INTERESTING.length)]);
                case 2 -> java.util.Arrays.copyOf(bytes, at);
                case 3 -> insert(bytes, at, randomBytes(random, 1 + random.nextInt(8)));
                case 4 -> delete(bytes, at, 1 + random.nextInt(8));
                case 5 -> insert(bytes, at, java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(24))));
                default -> nudgeLength(bytes, random.nextInt(9) - 4);
            };
        }
        return bytes;
    }

    private static byte[] flipBit(byte[] bytes, int at, int bit) {
        byte[] copy = bytes.clone();
        copy[at] ^= (byte) (1 << bit);
        return copy;
    }

    private static byte[] set(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private static byte[] delete(byte[] bytes, int at, int count) {
        int end = Math.min(bytes.length, at + count);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.write(bytes, end, bytes.length - end);
        return out.toByteArray();
    }

    /** Changes the first frame's length prefix by a small amount: the classic off-by-one. */
    private static byte[] nudgeLength(byte[] bytes, int delta) {
        if (bytes.length < 4) return bytes;
        byte[] copy = bytes.clone();
        int length = ((copy[0] & 0xFF) << 24 | (copy[1] & 0xFF) << 16 | (copy[2] & 0xFF) << 8 | (copy[3] & 0xFF)) + delta;
        copy[0] = (byte) (length >>> 24);
        copy[1] = (byte) (length >>> 16);
        copy[2] = (byte) (length >>> 8);
        copy[3] = (byte) length;
        return copy;
    }

    private static byte[] randomBytes(Random random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
