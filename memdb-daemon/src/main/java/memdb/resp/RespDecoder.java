package memdb.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A strict RESP2 request parser: turns bytes into {@link RespCommand}s. Accepts what Redis accepts from
 * clients — a multibulk array of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}), or an inline
 * command line ({@code PING\r\n}, split on spaces, as typed into telnet) — in any split over reads.
 *
 * <p>Invariants: the parse state between reads is the arguments of the current command read so far (in
 * an array that becomes the command's own: one byte[] per argument and one array per command is all a
 * multibulk command allocates, less the name when the client sent the same name before: it is shared) and
 * the length of the bulk whose header was read; nothing is allocated for
 * a bulk before all its bytes are here, nor more than 16 argument places before their bulks arrive (the
 * array doubles up to the declared count, so it ends exactly that long); every length is checked against
 * a limit before it is trusted (arguments per command, bytes per command, bytes per inline line).
 * Anything else is a {@link RespProtocolException} (with Redis's wording), after which the decoder drops
 * all further input: the handler answers and closes.
 *
 * <p>Hand-off: each complete command goes straight to the connection's consumer (its {@link RespHandler}), in
 * order, one per {@code decode} call (Netty's loop calls again while bytes are left, and stops once the decoder is
 * removed from the pipeline), rather than down the pipeline as a message: that hop cost ~17 ns a command, ~8% of
 * the RESP layer (docs/performance.md, "Session 14"). Back-pressure stays with {@link memdb.net.FlowControl}, the
 * one owner of the read switch: this decoder never asks for a read itself ({@link #channelReadComplete}).
 */
final class RespDecoder extends ByteToMessageDecoder {
    /** Arguments in one command, as Redis allows an unauthenticated client. */
    static final int ARGUMENTS_MAX = 1024 * 1024;
    /** An inline command line, as Redis's PROTO_INLINE_MAX_SIZE. */
    static final int INLINE_BYTES_MAX = 64 * 1024;
    /** '*' or '$', a sign, 19 digits, CR LF. */
    private static final int HEADER_LINE_BYTES_MAX = 1 + 1 + 19 + 2;

    /** Names longer than this are never shared (no command's is). */
    private static final int NAME_BYTES_MAX = 16;

    private final long commandBytesMax;
    /** Where each command goes once complete. */
    private final Consumer<RespCommand> commands;
    /** The connection's recent command names, by length and first byte ({@link #readName}). */
    private final byte[][] names = new byte[32][];
    /** The current command's arguments, the first {@code argumentsRead} of them read; null between commands. */
    private byte[][] args;
    private int argumentsRead;
    private int argumentCount;
    private long commandBytes;
    private long bulkLength = -1;
    private boolean failed;

    /**
     * @param commandBytesMax the most bytes one command may take on the wire, headers included
     * @param commands takes each command as soon as it is complete, in order, on the channel's event loop
     */
    RespDecoder(long commandBytesMax, Consumer<RespCommand> commands) {
        this.commandBytesMax = commandBytesMax;
        this.commands = commands;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        RespCommand command;
        try {
            command = args != null ? readArguments(in) : readCommandStart(in);
        } catch (RespProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
        if (command != null) commands.accept(command); // outside the try: only the parse's own errors are the client's
    }

    /**
     * The end of a read: as Netty's, but never asks for another read. Netty's decoder asks for one when reading is
     * off and it passed no message on during the read (for a decoder waiting for the rest of one); this one passes
     * none on ever, so that would read a paused connection without bound. Reading resumes when FlowControl says.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    /** At a command boundary: a multibulk header or an inline line. Null when more bytes are needed. */
    private RespCommand readCommandStart(ByteBuf in) {
        if (in.getByte(in.readerIndex()) != '*') return readInline(in);
        int start = in.readerIndex();
        long count = readHeaderNumber(in, "invalid multibulk length");
        if (count == Long.MIN_VALUE) return null;
        if (count > ARGUMENTS_MAX) throw new RespProtocolException("invalid multibulk length");
        if (count <= 0) return null; // "*0" and "*-1" are empty: Redis ignores them, and so do we
        args = new byte[(int) Math.min(count, 16)][];
        argumentsRead = 0;
        argumentCount = (int) count;
        commandBytes = in.readerIndex() - start;
        return readArguments(in);
    }

    private RespCommand readArguments(ByteBuf in) {
        while (argumentsRead < argumentCount) {
            if (bulkLength < 0 && !readBulkHeader(in)) return null;
            if (in.readableBytes() < bulkLength + 2) return null;
            byte[] bytes = argumentsRead == 0 && bulkLength <= NAME_BYTES_MAX ? readName(in, (int) bulkLength) : readBulk(in);
            if (in.readShort() != RespReply.CRLF) throw new RespProtocolException("expected CRLF after a bulk string");
            if (argumentsRead == args.length) args = Arrays.copyOf(args, Math.min(argumentCount, 2 * args.length));
            args[argumentsRead++] = bytes;
            bulkLength = -1;
        }
        RespCommand command = new RespCommand(args);
        args = null;
        return command;
    }

    private byte[] readBulk(ByteBuf in) {
        byte[] bytes = new byte[(int) bulkLength];
        in.readBytes(bytes);
        return bytes;
    }

    /**
     * A command's name: the array of an earlier command's name when the client sent the same bytes before (kept
     * in a small table by length and first byte; the arrays are never changed, so commands may share them),
     * else a new one, which replaces that table entry.
     */
    private byte[] readName(ByteBuf in, int length) {
        int at = in.readerIndex();
        int slot = length == 0 ? 0 : (length * 31 + in.getByte(at)) & (names.length - 1);
        byte[] known = names[slot];
        if (known != null && known.length == length && sameBytes(in, at, known)) {
            in.skipBytes(length);
            return known;
        }
        byte[] name = new byte[length];
        in.readBytes(name);
        names[slot] = name;
        return name;
    }

    private static boolean sameBytes(ByteBuf in, int at, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (in.getByte(at + i) != bytes[i]) return false;
        }
        return true;
    }

    private boolean readBulkHeader(ByteBuf in) {
        if (!in.isReadable()) return false;
        byte type = in.getByte(in.readerIndex());
        if (type != '$') throw new RespProtocolException("expected '$', got '" + printable(type) + "'");
        int start = in.readerIndex();
        long length = readHeaderNumber(in, "invalid bulk length");
        if (length == Long.MIN_VALUE) return false;
        if (length < 0) throw new RespProtocolException("invalid bulk length");
        commandBytes += in.readerIndex() - start + length + 2;
        if (commandBytes > commandBytesMax) {
            throw new RespProtocolException("command of more than " + commandBytesMax + " bytes (max-frame-bytes)");
        }
        bulkLength = length;
        return true;
    }

    /**
     * Reads {@code <type><integer>\r\n} and returns the integer, or Long.MIN_VALUE (reading nothing) when
     * the line is not complete yet. Strict: an optional '-' and 1..18 digits, nothing else. (Reading the
     * line in one forEachByte pass instead was measured in session 6, RespPathBenchmark: no faster.)
     */
    private static long readHeaderNumber(ByteBuf in, String complaint) {
        int start = in.readerIndex();
        int lineEnd = in.indexOf(start, start + Math.min(in.readableBytes(), HEADER_LINE_BYTES_MAX), (byte) '\r');
        if (lineEnd < 0) {
            if (in.readableBytes() >= HEADER_LINE_BYTES_MAX) throw new RespProtocolException(complaint);
            return Long.MIN_VALUE;
        }
        if (lineEnd + 1 >= in.writerIndex()) return Long.MIN_VALUE;
        if (in.getByte(lineEnd + 1) != '\n') throw new RespProtocolException(complaint);
        int i = start + 1;
        boolean negative = i < lineEnd && in.getByte(i) == '-';
        if (negative) i++;
        if (i == lineEnd || lineEnd - i > 18) throw new RespProtocolException(complaint);
        long value = 0;
        for (; i < lineEnd; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') throw new RespProtocolException(complaint);
            value = value * 10 + (b - '0');
        }
        in.readerIndex(lineEnd + 2);
        return negative ? -value : value;
    }

    /** A line of words separated by spaces or tabs, ended by LF (a CR before it is dropped). Blank lines are skipped. */
    private static RespCommand readInline(ByteBuf in) {
        int start = in.readerIndex();
        int lineEnd = in.indexOf(start, start + Math.min(in.readableBytes(), INLINE_BYTES_MAX), (byte) '\n');
        if (lineEnd < 0) {
            if (in.readableBytes() >= INLINE_BYTES_MAX) throw new RespProtocolException("too big inline request");
            return null;
        }
        String line = in.toString(start, lineEnd - start, StandardCharsets.UTF_8);
        in.readerIndex(lineEnd + 1);
        byte[][] words = Arrays.stream(line.strip().split("[ \t]+"))
                .filter(word -> !word.isEmpty()).map(word -> word.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return words.length == 0 ? null : new RespCommand(words);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
