package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The RESP decoder under arbitrary bytes: only a {@link RespProtocolException} escapes it, and what it makes of
 * a stream — its commands, then its complaint if any — does not depend on how the stream is split over reads
 * (which catches a parse that trusts bytes it has not been given yet, or loses its place between reads).
 *
 * <p>Under plain {@code mvn test}, {@link #mutatedStreamsDecodeTheSameHoweverSplit} checks the property on
 * 3,000 seeded mutations of valid pipelines (a failure names its seed), and the {@code @FuzzTest} replays its
 * saved inputs. To fuzz: {@code JAZZER_FUZZ=1 mvn -o -pl memdb-daemon test -Dtest=RespDecoderFuzzTest#decoder}.
 */
class RespDecoderFuzzTest {
    static {
        // As in EnvelopeDecoderFuzzTest: replaying needs no instrumentation; fuzzing (JAZZER_FUZZ=1) keeps it.
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    /** Reads are cut at up to twice this; long bulks are up to twice this. */
    private static final int PAGE = 4096;
    /** Small enough that the fuzzer meets the limit on a command's bytes. */
    private static final long COMMAND_BYTES_MAX = 3 * PAGE;

    @FuzzTest(maxDuration = "5m")
    void decoder(byte[] stream) {
        check(stream, new Random(Arrays.hashCode(stream))); // pieces derived from the input: a finding replays exactly
    }

    @Test
    void mutatedStreamsDecodeTheSameHoweverSplit() {
        for (int seed = 0; seed < 3_000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] stream = mutate(pipeline(random), random);
            try {
                check(stream, new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
    }

    /** The property, for one stream: whole, and in pieces drawn from {@code random}. */
    static void check(byte[] stream, Random random) {
        List<String> whole = decode(List.of(stream));
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            int end = Math.min(stream.length, at + 1 + random.nextInt(random.nextBoolean() ? 8 : 2 * PAGE));
            pieces.add(Arrays.copyOfRange(stream, at, end));
            at = end;
        }
        assertEquals(whole, decode(pieces), "split into " + pieces.size() + " reads");
    }

    /** The commands made from the reads, then "error: <message>" when the decoder complained (it drops the rest). */
    private static List<String> decode(List<byte[]> reads) {
        EmbeddedChannel channel = RespDecoderTest.newChannel(COMMAND_BYTES_MAX);
        List<String> made = new ArrayList<>();
        try {
            for (byte[] read : reads) {
                String complaint = null;
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(read));
                } catch (DecoderException e) {
                    if (!(e.getCause() instanceof RespProtocolException)) throw new AssertionError("only a protocol error may escape", e);
                    complaint = "error: " + e.getCause().getMessage();
                }
                for (RespCommand c; (c = channel.readInbound()) != null; ) made.add(describe(c));
                if (complaint != null) made.add(complaint); // the handler gets the commands before the error
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return made;
    }

    /** A command's arity, its arguments' lengths and a hash of their bytes (short, for the failure message). */
    private static String describe(RespCommand c) {
        StringBuilder s = new StringBuilder().append(c.arity()).append(':');
        int hash = 1;
        for (int i = 0; i < c.arity(); i++) {
            s.append(' ').append(c.arg(i).length);
            hash = 31 * hash + Arrays.hashCode(c.arg(i));
        }
        return s.append(" #").append(Integer.toHexString(hash)).toString();
    }

    /** Valid commands: names, short and long arguments (of several reads), inline ones, empty arrays. */
    private static byte[] pipeline(SplittableRandom random) {
        StringBuilder wire = new StringBuilder();
        for (int n = random.nextInt(1, 12); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0 -> wire.append("PING x\r\n");
                case 1 -> wire.append(random.nextBoolean() ? "*0\r\n" : "*-1\r\n");
                default -> {
                    int arity = random.nextInt(1, 5);
                    wire.append('*').append(arity).append("\r\n");
                    for (int i = 0; i < arity; i++) {
                        int length = random.nextInt(4) == 0 ? random.nextInt(0, 2 * PAGE) : random.nextInt(0, 20);
                        char fill = (char) random.nextInt(256);
                        wire.append('$').append(length).append("\r\n").append(String.valueOf(fill).repeat(length)).append("\r\n");
                    }
                }
            }
        }
        return wire.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A few bytes changed for protocol bytes (CR, LF, digits, '*', '$', '-', '+', space) or any byte; sometimes cut short. */
    private static byte[] mutate(byte[] stream, SplittableRandom random) {
        byte[] out = stream.clone();
        byte[] protocolBytes = "\r\n0123456789*$-+ ".getBytes(StandardCharsets.US_ASCII);
        for (int n = random.nextInt(0, 4); n > 0 && out.length > 0; n--) {
            int at = random.nextInt(out.length);
            out[at] = random.nextBoolean() ? protocolBytes[random.nextInt(protocolBytes.length)] : (byte) random.nextInt(256);
        }
        if (out.length > 0 && random.nextInt(4) == 0) out = Arrays.copyOf(out, random.nextInt(out.length));
        return out;
    }
}
