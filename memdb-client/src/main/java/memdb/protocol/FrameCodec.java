package memdb.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes whole frames (docs/protocol.md §2):
 * <pre>
 *   length:u32 | magic:u8 = 0xDB | version:u8 = 1 | opcode:u8 | flags:u8 | requestId:u32 | lamport:u64 | payload
 * </pre>
 * {@code length} counts the bytes after itself (header + payload), so it is at least {@link #HEADER_BYTES}.
 * Decoding is strict: a payload must be consumed exactly, and any defect is a {@link ProtocolException}
 * (carrying the request id once the whole header has been read and its magic matched: a frame that
 * does not start with 0xDB is not a MemDB frame, so its other bytes mean nothing); nothing else escapes.
 * Checks run in this order: header length, magic, version, opcode, flags, lamport, payload, trailing bytes.
 */
public final class FrameCodec {
    public static final int MAGIC = 0xDB;
    public static final int VERSION = 1;
    public static final int LENGTH_FIELD_BYTES = 4;
    /** magic, version, opcode, flags, request id, lamport. */
    public static final int HEADER_BYTES = 1 + 1 + 1 + 1 + 4 + 8;
    /** Default limit on {@code length}: a 1 MiB value plus a 1 KiB key and room to spare. */
    public static final int FRAME_BYTES_MAX_DEFAULT = 8 * 1024 * 1024;

    private FrameCodec() {}

    /**
     * Writes the whole frame, length prefix included. If the message cannot be encoded (a key longer
     * than the u16 length field can say) nothing is left in {@code out} and the exception propagates.
     */
    public static void encode(Envelope envelope, ByteBuf out) {
        encode(envelope.opcode(), envelope.flags(), envelope.requestId(), envelope.lamport(), envelope.message(), out);
    }

    /**
     * {@link #encode(Envelope, ByteBuf)} of {@code Envelope.request(requestId, lamport, request)}, without making
     * the envelope (a client encodes one per request; a request's envelope always holds, its lamport >= 0).
     */
    public static void encodeRequest(int requestId, long lamport, Request request, ByteBuf out) {
        if (lamport < 0) throw new IllegalArgumentException("negative lamport time " + lamport);
        encode(request.opcode(), 0, requestId, lamport, request, out);
    }

    /**
     * {@link #encode(Envelope, ByteBuf)} of {@code Envelope.response(opcode, requestId, lamport, response)}, without
     * making the envelope (a node encodes one per reply), with the same checks: a success response of another
     * type than the opcode's, or a negative lamport, is an IllegalArgumentException and nothing is written.
     */
    public static void encodeResponse(Opcode opcode, int requestId, long lamport, Response response, ByteBuf out) {
        if (lamport < 0) throw new IllegalArgumentException("negative lamport time " + lamport);
        int flags = Envelope.FLAG_RESPONSE;
        if (response instanceof Responses.Error) {
            flags |= Envelope.FLAG_ERROR;
        } else if (!opcode.responseType().isInstance(response)) {
            throw new IllegalArgumentException(opcode + " is not answered by " + response.getClass().getSimpleName());
        }
        encode(opcode, flags, requestId, lamport, response, out);
    }

    private static void encode(Opcode opcode, int flags, int requestId, long lamport, Message message, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        try {
            out.writeInt(0);
            // magic, version, opcode, flags: one write of four bytes (each write of a ByteBuf checks bounds)
            out.writeInt(MAGIC << 24 | VERSION << 16 | (opcode.code() & 0xFF) << 8 | (flags & 0xFF));
            out.writeInt(requestId);
            out.writeLong(lamport);
            message.encode(out);
        } catch (RuntimeException e) {
            out.writerIndex(lengthIndex);
            throw e;
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - LENGTH_FIELD_BYTES);
    }

    /** Decodes one frame body: the bytes after the length prefix, exactly. */
    public static Envelope decode(ByteBuf frame) {
        if (frame.readableBytes() < HEADER_BYTES) {
            throw Wire.malformed("frame of " + frame.readableBytes() + " bytes is shorter than the header");
        }
        int head = frame.readInt(); // magic, version, opcode, flags
        int magic = head >>> 24;
        if (magic != MAGIC) throw Wire.malformed(String.format("bad magic 0x%02X (expected 0xDB)", magic));
        int version = (head >>> 16) & 0xFF;
        int opcodeByte = (head >>> 8) & 0xFF;
        int flags = head & 0xFF;
        int requestIdBits = frame.readInt();
        long requestId = Integer.toUnsignedLong(requestIdBits);
        long lamport = frame.readLong();
        if (version != VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + version + " is not supported (this node speaks " + VERSION + ")", requestId);
        }
        Opcode opcode = Opcode.fromWire(opcodeByte);
        if (opcode == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_OPCODE, String.format("unknown opcode 0x%02X", opcodeByte), requestId);
        }
        try {
            if ((flags & ~Envelope.FLAGS_KNOWN) != 0) throw Wire.malformed(String.format("unknown flags 0x%02X", flags));
            if (lamport < 0) throw Wire.malformed("negative lamport time");
            Message message = decodePayload(opcode, flags, frame);
            if (frame.isReadable()) {
                throw Wire.malformed(frame.readableBytes() + " unexpected bytes after the " + opcode + " payload");
            }
            return new Envelope(opcode, flags, requestIdBits, lamport, message);
        } catch (ProtocolException e) {
            throw new ProtocolException(e.code(), e.getMessage(), requestId);
        }
    }

    private static Message decodePayload(Opcode opcode, int flags, ByteBuf payload) {
        boolean response = (flags & Envelope.FLAG_RESPONSE) != 0;
        boolean error = (flags & Envelope.FLAG_ERROR) != 0;
        if (error && !response) throw Wire.malformed("ERROR flag without RESPONSE flag");
        if (error) return Responses.Error.decode(payload);
        return response ? opcode.decodeResponse(payload) : opcode.decodeRequest(payload);
    }
}
