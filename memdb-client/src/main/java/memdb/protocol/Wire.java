package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reading and writing the protocol's field types (docs/protocol.md §3). Every read checks that the
 * bytes are there and throws a MALFORMED_FRAME {@link ProtocolException} otherwise, so that no
 * IndexOutOfBoundsException ever escapes a decoder.
 */
public final class Wire {
    private Wire() {}

    /** The most bytes a u16 length field can announce (keys, strings). */
    public static final int U16_MAX = 0xFFFF;

    /**
     * Writes a key as u16 length + bytes. Keys longer than {@link Key#BYTES_MAX} are still written (so that
     * a node can be asked, and answer KEY_TOO_LONG), but a key the u16 cannot describe would corrupt the
     * frame, so it is refused with KEY_TOO_LONG before anything is written.
     */
    public static void writeKey(ByteBuf out, Key key) {
        if (key.length() > U16_MAX) {
            throw ErrorCode.KEY_TOO_LONG.exception("key is " + key.length() + " bytes; the wire limit is " + U16_MAX);
        }
        out.writeShort(key.length());
        out.writeBytes(key.bytes());
    }

    public static Key readKey(ByteBuf in) {
        return Key.wrap(readBytes(in, readUnsignedShort(in)));
    }

    public static void writeBlob(ByteBuf out, byte[] value) {
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    public static byte[] readBlob(ByteBuf in) {
        int length = readInt(in);
        if (length < 0) throw malformed("negative length " + length);
        return readBytes(in, length);
    }

    /** Writes u16 length + UTF-8; text over 65535 bytes is cut at a character boundary (never mid-character). */
    public static void writeString(ByteBuf out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, U16_MAX);
        // A cut inside a multi-byte sequence would leave invalid UTF-8: back off over continuation bytes.
        while (length < bytes.length && length > 0 && (bytes[length] & 0xC0) == 0x80) length--;
        out.writeShort(length);
        out.writeBytes(bytes, 0, length);
    }

    public static String readString(ByteBuf in) {
        return new String(readBytes(in, readUnsignedShort(in)), StandardCharsets.UTF_8);
    }

    public static void writeTimestamp(ByteBuf out, Timestamp ts) {
        out.writeLong(ts.lamport());
        out.writeShort(ts.nodeId());
    }

    public static Timestamp readTimestamp(ByteBuf in) {
        long lamport = readLong(in);
        if (lamport < 0) throw malformed("negative lamport time");
        return new Timestamp(lamport, readUnsignedShort(in));
    }

    public static boolean readBoolean(ByteBuf in) {
        int b = readUnsignedByte(in);
        if (b > 1) throw malformed("boolean byte must be 0 or 1, got " + b);
        return b == 1;
    }

    public static int readUnsignedByte(ByteBuf in) {
        need(in, 1);
        return in.readUnsignedByte();
    }

    public static int readUnsignedShort(ByteBuf in) {
        need(in, 2);
        return in.readUnsignedShort();
    }

    public static int readInt(ByteBuf in) {
        need(in, 4);
        return in.readInt();
    }

    public static long readLong(ByteBuf in) {
        need(in, 8);
        return in.readLong();
    }

    public static byte[] readBytes(ByteBuf in, int length) {
        need(in, length);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** Writes a list as a u16 count, then each item ({@code items} holds at most {@link #U16_MAX}). */
    static <T> void writeList16(ByteBuf out, List<T> items, BiConsumer<? super T, ByteBuf> writer) {
        out.writeShort(items.size());
        for (T item : items) writer.accept(item, out);
    }

    /** Reads a u16 count, then that many items; a count over {@code countMax} is malformed ({@code tooMany}: n). */
    static <T> List<T> readList16(ByteBuf in, int countMax, String tooMany, Function<ByteBuf, ? extends T> reader) {
        int count = readUnsignedShort(in);
        if (count > countMax) throw malformed(tooMany + ": " + count);
        return readItems(in, count, reader);
    }

    /** Writes a list as a u32 count, then each item. */
    static <T> void writeList32(ByteBuf out, List<T> items, BiConsumer<? super T, ByteBuf> writer) {
        out.writeInt(items.size());
        for (T item : items) writer.accept(item, out);
    }

    /** Reads a u32 count, then that many items; a count over {@code countMax} is malformed. */
    static <T> List<T> readList32(ByteBuf in, int countMax, Function<ByteBuf, ? extends T> reader) {
        int count = readInt(in);
        if (count < 0 || count > countMax) throw malformed("item count " + count + " out of 0.." + countMax);
        return readItems(in, count, reader);
    }

    /** A count read off the wire only bounds the loop: the list grows as items actually arrive. */
    private static <T> List<T> readItems(ByteBuf in, int count, Function<ByteBuf, ? extends T> reader) {
        List<T> items = new ArrayList<>(Math.min(count, 256));
        for (int i = 0; i < count; i++) items.add(reader.apply(in));
        return items;
    }

    private static void need(ByteBuf in, int bytes) {
        if (in.readableBytes() < bytes) {
            throw malformed("payload ends early: needs " + bytes + " more bytes, has " + in.readableBytes());
        }
    }

    public static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
    }
}
