package memdb.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One RESP2 reply value (the Redis serialization protocol, version 2): simple string, error, integer,
 * bulk string, the null bulk string, or an array of replies. Each knows its own wire form, and writes it
 * straight into the buffer: numbers (integers, lengths) as ASCII digits, with no String in between.
 */
public sealed interface RespReply {
    RespReply OK = new SimpleString("OK");
    RespReply PONG = new SimpleString("PONG");
    RespReply NULL = new NullBulk();

    /** CR LF as one big-endian short: the end of every line, in replies and in requests ({@link RespDecoder}). */
    short CRLF = ('\r' << 8) | '\n';

    void encode(ByteBuf out);

    /** {@code +text\r\n}; the text must not contain CR or LF. Its wire form is made once (OK is every SET's reply). */
    final class SimpleString implements RespReply {
        private final String text;
        private final byte[] wire;

        public SimpleString(String text) {
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) throw new IllegalArgumentException("CR or LF in a simple string");
            this.text = text;
            this.wire = ("+" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
        }

        public String text() {
            return text;
        }

        public void encode(ByteBuf out) {
            out.writeBytes(wire);
        }

        @Override public boolean equals(Object o) { return o instanceof SimpleString s && text.equals(s.text); }

        @Override public int hashCode() { return text.hashCode(); }

        @Override public String toString() { return "SimpleString[text=" + text + "]"; }
    }

    /**
     * {@code -PREFIX message\r\n}: the first word is the error's kind (ERR, NOAUTH, WRONGTYPE, ...), as Redis
     * clients expect. CR and LF in the message are replaced by spaces so that a message can never break
     * the framing.
     */
    record Error(String text) implements RespReply {
        public Error {
            text = text.replace('\r', ' ').replace('\n', ' ');
        }

        public static Error err(String message) {
            return new Error("ERR " + message);
        }

        public void encode(ByteBuf out) {
            out.writeByte('-');
            writeLine(out, text);
        }
    }

    /** {@code :n\r\n}. */
    record Integer(long value) implements RespReply {
        public void encode(ByteBuf out) {
            writeHeader(out, ':', value);
        }
    }

    /** {@code $len\r\nbytes\r\n}: binary safe. */
    record Bulk(byte[] bytes) implements RespReply {
        public static Bulk of(String text) {
            return new Bulk(text.getBytes(StandardCharsets.UTF_8));
        }

        public void encode(ByteBuf out) {
            writeHeader(out, '$', bytes.length);
            out.writeBytes(bytes);
            writeCrlf(out);
        }

        @Override public boolean equals(Object o) { return o instanceof Bulk b && java.util.Arrays.equals(bytes, b.bytes); }

        @Override public int hashCode() { return java.util.Arrays.hashCode(bytes); }

        @Override public String toString() { return "Bulk[" + new String(bytes, StandardCharsets.UTF_8) + "]"; }
    }

    /** {@code $-1\r\n}: "no value" (GET of an absent key). */
    record NullBulk() implements RespReply {
        private static final byte[] WIRE = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);

        public void encode(ByteBuf out) {
            out.writeBytes(WIRE);
        }
    }

    /** {@code *n\r\n} followed by the n elements. */
    record Array(List<RespReply> elements) implements RespReply {
        public Array {
            elements = List.copyOf(elements);
        }

        public static Array of(RespReply... elements) {
            return new Array(List.of(elements));
        }

        public static Array ofStrings(String... texts) {
            return new Array(java.util.Arrays.stream(texts).<RespReply>map(Bulk::of).toList());
        }

        public void encode(ByteBuf out) {
            writeHeader(out, '*', elements.size());
            for (RespReply element : elements) element.encode(out);
        }
    }

    /** CR LF in one write. */
    private static void writeCrlf(ByteBuf out) {
        out.writeShort(CRLF);
    }

    private static void writeLine(ByteBuf out, String text) {
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        writeCrlf(out);
    }

    /**
     * {@code type}, {@code value} in decimal ASCII digits (as Long.toString writes it), then CR LF. Up to 5 digits
     * (every length and count but huge ones) the line is one 8-byte store: each write to a buffer checks its
     * bounds and reference count. The store needs 8 writable bytes even for a shorter line: the replies' buffers
     * ({@code ioBuffer()}) have no maximum capacity that could refuse them.
     */
    private static void writeHeader(ByteBuf out, char type, long value) {
        if (value < 0 || value >= 100_000) {
            out.writeByte(type);
            writeNumberLine(out, value);
            return;
        }
        int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1_000 ? 3 : value < 10_000 ? 4 : 5;
        long line = (long) type << 56; // big-endian: byte 0 is the type, then the digits, CR and LF
        long rest = value;
        for (int at = digits; at >= 1; at--, rest /= 10) line |= ('0' + rest % 10) << (56 - 8 * at);
        line |= (long) CRLF << (56 - 8 * (digits + 2));
        int start = out.writerIndex();
        out.ensureWritable(8);
        out.setLong(start, line);
        out.writerIndex(start + digits + 3);
    }

    /** {@code value} in decimal ASCII digits (as Long.toString writes it), then CR LF. */
    private static void writeNumberLine(ByteBuf out, long value) {
        if (value == Long.MIN_VALUE) { // its magnitude is not a long
            writeLine(out, Long.toString(value));
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) digits++;
        out.ensureWritable(digits + 2);
        int end = out.writerIndex() + digits;
        for (int at = end - 1; at >= out.writerIndex(); at--, value /= 10) out.setByte(at, (int) ('0' + value % 10));
        out.writerIndex(end);
        writeCrlf(out);
    }
}
