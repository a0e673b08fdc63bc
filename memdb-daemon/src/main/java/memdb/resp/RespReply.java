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

    void encode(ByteBuf out);

    /** {@code +text\r\n}; the text must not contain CR or LF. */
    record SimpleString(String text) implements RespReply {
        public SimpleString {
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) throw new IllegalArgumentException("CR or LF in a simple string");
        }

        public void encode(ByteBuf out) {
            out.writeByte('+');
            writeLine(out, text);
        }
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
            out.writeByte(':');
            writeNumberLine(out, value);
        }
    }

    /** {@code $len\r\nbytes\r\n}: binary safe. */
    record Bulk(byte[] bytes) implements RespReply {
        public static Bulk of(String text) {
            return new Bulk(text.getBytes(StandardCharsets.UTF_8));
        }

        public void encode(ByteBuf out) {
            out.writeByte('$');
            writeNumberLine(out, bytes.length);
            out.writeBytes(bytes);
            out.writeByte('\r').writeByte('\n');
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
            out.writeByte('*');
            writeNumberLine(out, elements.size());
            for (RespReply element : elements) element.encode(out);
        }
    }

    private static void writeLine(ByteBuf out, String text) {
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeByte('\r').writeByte('\n');
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
        out.writeByte('\r').writeByte('\n');
    }
}
