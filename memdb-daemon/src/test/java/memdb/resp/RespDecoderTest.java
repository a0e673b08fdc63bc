package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decoder alone: the commands it makes from a byte stream, however the stream is split over reads. */
class RespDecoderTest {
    private static final io.netty.buffer.ByteBufAllocator UNTRACKED = new io.netty.buffer.UnpooledByteBufAllocator(false, true);

    /** A channel with only the decoder. */
    private static EmbeddedChannel newChannel() {
        return newChannel(1 << 20);
    }

    /**
     * A channel with only a decoder, whose commands go on down the pipeline as messages, so that the channel keeps
     * them for {@code readInbound} (in a node they go straight to the RespHandler instead).
     */
    static EmbeddedChannel newChannel(long commandBytesMax) {
        EmbeddedChannel channel = untrackedChannel();
        RespDecoder[] decoder = new RespDecoder[1];
        decoder[0] = new RespDecoder(commandBytesMax, command -> channel.pipeline().context(decoder[0]).fireChannelRead(command));
        channel.pipeline().addLast(decoder[0]);
        return channel;
    }

    private static List<String> decode(byte[]... reads) {
        EmbeddedChannel channel = newChannel();
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

    /**
     * Names are shared between commands (no copy per command) and still come exactly as sent: random pipelined
     * commands whose names collide in the table (same length, same first byte, other case, one byte off, empty,
     * 16 and 17 bytes) decode to the names sent, against the list they were made from, fed in random pieces; a
     * name sent again by the same connection is the same array.
     */
    @Test
    void commandNamesAreSharedAndAlwaysTheBytesSent() {
        List<String> names = List.of("GET", "get", "GEt", "GXT", "gET", "SET", "set", "", "INCRBY", "INCRBx",
                "0123456789abcdef", "0123456789abcdeX", "0123456789abcdefg", "\u00ff\u00fe");
        for (int seed = 0; seed < 100; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<byte[]> sent = new ArrayList<>();
            StringBuilder wire = new StringBuilder();
            for (int n = 0; n < 60; n++) {
                byte[] name = names.get(random.nextInt(names.size())).getBytes(StandardCharsets.ISO_8859_1);
                sent.add(name);
                wire.append(multibulk(List.of(name, new byte[] {(byte) n})));
            }
            byte[] bytes = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
            EmbeddedChannel channel = newChannel();
            List<RespCommand> commands = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int end = Math.min(bytes.length, at + random.nextInt(1, 40));
                channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, at, end)));
                for (RespCommand c; (c = channel.readInbound()) != null; ) commands.add(c);
                at = end;
            }
            channel.finishAndReleaseAll();
            assertEquals(sent.size(), commands.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), commands.get(i).arg(0), "seed " + seed + ", command " + i);
                assertArrayEquals(new byte[] {(byte) i}, commands.get(i).arg(1));
            }
        }
        EmbeddedChannel channel = newChannel();
        channel.writeInbound(Unpooled.wrappedBuffer("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII)));
        RespCommand first = channel.readInbound();
        RespCommand second = channel.readInbound();
        assertSame(first.arg(0), second.arg(0), "the second PING's name is the first's array");
        channel.finishAndReleaseAll();
    }

    /**
     * Long bulks and long pipelines: bulks of a few bytes to several reads' worth (lengths around 4 KiB, a typical
     * read, and past it), in a pipeline many reads long, decode to the arguments sent, fed whole and in random
     * pieces (of a few bytes, and of up to 3 x 4 KiB).
     */
    @Test
    void longBulksAndPipelinesComeAsSent() {
        int w = 4096;
        int[] lengths = {0, 1, 15, 16, 17, w - 30, w - 3, w - 2, w - 1, w, w + 1, w + 2, 3 * w + 7};
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<String> sent = new ArrayList<>();
            StringBuilder wire = new StringBuilder();
            for (int n = 0; n < 30; n++) {
                List<byte[]> args = new ArrayList<>();
                args.add(random.nextBoolean() ? "SET".getBytes(StandardCharsets.US_ASCII) : new byte[random.nextInt(0, 20)]);
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    byte[] arg = new byte[random.nextInt(3) == 0 ? lengths[random.nextInt(lengths.length)] : random.nextInt(0, 40)];
                    for (int b = 0; b < arg.length; b++) arg[b] = (byte) random.nextInt(256);
                    args.add(arg);
                }
                StringBuilder expected = new StringBuilder().append(args.size());
                for (byte[] a : args) expected.append(' ').append(Arrays.toString(a));
                sent.add(expected.toString());
                wire.append(multibulk(args));
            }
            byte[] bytes = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(sent, decode(bytes), "seed " + seed + ", whole");
            List<byte[]> reads = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int end = Math.min(bytes.length, at + random.nextInt(1, random.nextBoolean() ? 64 : 3 * w));
                reads.add(Arrays.copyOfRange(bytes, at, end));
                at = end;
            }
            assertEquals(sent, decode(reads.toArray(byte[][]::new)), "seed " + seed + ", in pieces");
        }
    }

    /** A bulk's CR LF is checked, after a short bulk as after a long one. */
    @Test
    void aBulkWithoutItsCrlfIsAProtocolError() {
        for (int length : new int[] {1, 16, 4094, 4096, 8192}) {
            for (String after : List.of("\rX", "X\n", "XX")) {
                byte[] wire = ("*2\r\n$3\r\nGET\r\n$" + length + "\r\n" + "k".repeat(length) + after).getBytes(StandardCharsets.US_ASCII);
                EmbeddedChannel channel = newChannel();
                io.netty.handler.codec.DecoderException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.netty.handler.codec.DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(wire)));
                assertEquals("expected CRLF after a bulk string", e.getCause().getMessage(),
                        length + " bytes then " + after.replace("\r", "\\r").replace("\n", "\\n"));
                channel.finishAndReleaseAll();
            }
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
            EmbeddedChannel channel = newChannel();
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

    /**
     * An empty channel whose buffers have no leak tracking: the build's paranoid level records a trace at every byte the
     * decoder reads, which made the split tests above take minutes; the node's tests keep it.
     */
    private static EmbeddedChannel untrackedChannel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(UNTRACKED);
        return channel;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The commands of a read go to the decoder's consumer, in order, before the end of the read reaches the next
     * stage; none travels down the pipeline as a message (that hop was ~8% of the RESP layer's CPU).
     */
    @Test
    void everyCompleteCommandOfAReadGoesStraightToTheConsumerInOrder() {
        List<String> events = new ArrayList<>();
        EmbeddedChannel channel = untrackedChannel();
        channel.pipeline().addLast(new RespDecoder(1 << 20, command -> events.add(command.text(0) + " " + command.text(1))));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                events.add("read complete");
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(ascii("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n"
                + "*2\r\n$3\r\nGET\r\n$1\r\nc\r\n*2\r\n$3\r\nGE")));
        assertEquals(List.of("GET a", "GET b", "GET c", "read complete"), events);
        assertNull(channel.readInbound(), "nothing goes down the pipeline");
        channel.writeInbound(Unpooled.wrappedBuffer(ascii("T\r\n$1\r\nd\r\n")));
        assertEquals(List.of("GET a", "GET b", "GET c", "read complete", "GET d", "read complete"), events);
        channel.finishAndReleaseAll();
    }

    /**
     * While reading is off (FlowControl's back-pressure), the end of a read asks for no further read, whether the read
     * ended in a complete command or in part of one. (Netty's decoder asks for one when it passed no message on during
     * the read; this one never passes any, so it would read a paused client without bound.)
     */
    @Test
    void whileReadingIsOffTheEndOfAReadAsksForNoFurtherRead() {
        ReadRequests reads = new ReadRequests();
        List<String> commands = new ArrayList<>();
        EmbeddedChannel channel = untrackedChannel();
        channel.pipeline().addLast(reads);
        channel.pipeline().addLast(new RespDecoder(1 << 20, command -> commands.add(command.text(1))));
        channel.config().setAutoRead(false);
        reads.asked = 0;
        channel.writeInbound(Unpooled.wrappedBuffer(ascii("*2\r\n$3\r\nGET\r\n$1\r\na\r\n")));
        channel.writeInbound(Unpooled.wrappedBuffer(ascii("*2\r\n$3\r\nGET\r\n$1\r\nb\r\n*2\r\n$3")));
        channel.writeInbound(Unpooled.wrappedBuffer(ascii("\r\nGET\r\n$1")));
        assertEquals(List.of("a", "b"), commands);
        assertEquals(0, reads.asked, "reads asked for while reading is off");
        channel.finishAndReleaseAll();
    }

    /** Once the decoder has left the pipeline (the channel's end), it hands over no more commands of the read. */
    @Test
    void onceRemovedFromThePipelineTheDecoderHandsOverNoMoreCommands() {
        List<String> commands = new ArrayList<>();
        EmbeddedChannel channel = untrackedChannel();
        RespDecoder[] decoder = new RespDecoder[1];
        decoder[0] = new RespDecoder(1 << 20, command -> {
            commands.add(command.text(1));
            channel.pipeline().remove(decoder[0]);
        });
        channel.pipeline().addLast(decoder[0]);
        channel.writeInbound(Unpooled.wrappedBuffer(ascii("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")));
        assertEquals(List.of("a"), commands);
        channel.finishAndReleaseAll();
    }
}
