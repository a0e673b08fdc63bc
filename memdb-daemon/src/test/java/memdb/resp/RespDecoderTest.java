package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decoder alone: the commands it makes from a byte stream, however the stream is split over reads. */
class RespDecoderTest {
    private static List<String> decode(byte[]... reads) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(1 << 20));
        List<String> commands = new ArrayList<>();
        for (byte[] read : reads) {
            channel.writeInbound(Unpooled.wrappedBuffer(read));
            for (RespCommand c; (c = channel.readInbound()) != null; ) commands.add(describe(c));
        }
        channel.finishAndReleaseAll();
        return commands;
    }

    /** A command as text that shows every argument's exact bytes and the arity. */
    private static String describe(RespCommand c) {
        StringBuilder s = new StringBuilder().append(c.arity());
        for (int i = 0; i < c.arity(); i++) s.append(' ').append(Arrays.toString(c.arg(i)));
        return s.toString();
    }

    private static String multibulk(List<byte[]> args) {
        StringBuilder s = new StringBuilder("*").append(args.size()).append("\r\n");
        for (byte[] a : args) s.append('$').append(a.length).append("\r\n").append(new String(a, StandardCharsets.ISO_8859_1)).append("\r\n");
        return s.toString();
    }

    /** A pipelined burst of typical commands, and some with many arguments (the argument array grows), binary and empty ones. */
    private static byte[] burst(SplittableRandom random) {
        StringBuilder burst = new StringBuilder();
        for (int n = 0; n < 40; n++) {
            List<byte[]> args = new ArrayList<>();
            int arity = random.nextInt(8) == 0 ? random.nextInt(17, 70) : random.nextInt(1, 4);
            for (int i = 0; i < arity; i++) {
                byte[] arg = new byte[random.nextInt(0, 20)];
                for (int b = 0; b < arg.length; b++) arg[b] = (byte) random.nextInt(256);
                args.add(arg);
            }
            burst.append(random.nextInt(10) == 0 ? "PING\r\n" : multibulk(args));
        }
        return burst.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPipelinedBurstSplitAtEveryByteGivesTheSameCommands() {
        for (int seed = 0; seed < 3; seed++) {
            byte[] bytes = burst(new SplittableRandom(seed));
            List<String> whole = decode(bytes);
            assertEquals(40, whole.size());
            for (int split = 1; split < bytes.length; split++) {
                assertEquals(whole, decode(Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length)),
                        "seed " + seed + ", split at " + split);
            }
        }
    }

    @Test
    void aBurstFedInRandomPiecesGivesTheSameCommands() {
        for (int seed = 0; seed < 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] bytes = burst(random);
            List<byte[]> reads = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int end = Math.min(bytes.length, at + random.nextInt(1, 64));
                reads.add(Arrays.copyOfRange(bytes, at, end));
                at = end;
            }
            assertEquals(decode(bytes), decode(reads.toArray(byte[][]::new)), "seed " + seed);
        }
    }

    @Test
    void argumentsComeAsSentInAnArrayAsLongAsTheArity() {
        List<String> commands = decode(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n" + "*0\r\n" + "  get\t k  \r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("3 [83, 69, 84] [107] []", "2 [103, 101, 116] [107]"), commands);
    }

    /** A multibulk header line is accepted exactly when it is an optional '-' and 1..18 digits (and not too many arguments). */
    @Test
    void headerNumbersAreReadAsTheStrictReferenceReadsThem() {
        java.util.regex.Pattern reference = java.util.regex.Pattern.compile("-?[0-9]{1,18}");
        String alphabet = "0123456789-+ x\n";
        SplittableRandom random = new SplittableRandom(8);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder line = new StringBuilder();
            for (int i = random.nextInt(0, 22); i > 0; i--) line.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 10 : alphabet.length())));
            String text = line.toString();
            boolean expected = reference.matcher(text).matches() && Long.parseLong(text) <= RespDecoder.ARGUMENTS_MAX;
            EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(1 << 20));
            boolean accepted;
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(("*" + text + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                accepted = true;
            } catch (io.netty.handler.codec.DecoderException e) {
                accepted = false;
            }
            channel.finishAndReleaseAll();
            assertEquals(expected, accepted, "*" + text);
        }
    }
}
