package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The messages of data streaming when nodes join and leave (docs/protocol.md §5, issue 5): a joining
 * node pulls each range it will own from the range's current replicas (STREAM_PULL, answered with a
 * chunk of entries in key order); a leaving node pushes each range to its new owners (STREAM_PUSH,
 * answered with how many entries were applied). Entries carry their versions, tombstones included, so
 * that last-writer-wins applies on arrival. LEAVE asks a node to decommission itself.
 */
public final class StreamMessages {
    /** Entries in one chunk at most, whatever their size. */
    public static final int CHUNK_ENTRIES_MAX = 4096;

    private StreamMessages() {}

    /**
     * Asks a replica for its entries in the token range (start, end] whose keys sort after {@code after}
     * (empty: from the first), at most about {@code bytesMax} of them.
     */
    public record StreamPull(long start, long end, Key after, int bytesMax) implements Request {
        public Opcode opcode() { return Opcode.STREAM_PULL; }

        public void encode(ByteBuf out) {
            Shapes.writeRangeCursor(out, start, end, after);
            out.writeInt(bytesMax);
        }

        static StreamPull decode(ByteBuf in) {
            return Shapes.readRangeCursor(in, (start, end, after) -> {
                int bytesMax = Wire.readInt(in);
                if (bytesMax < 1) throw Wire.malformed("stream chunk limit must be >= 1");
                return new StreamPull(start, end, after, bytesMax);
            });
        }
    }

    /** The answer to STREAM_PULL: entries in key order, and whether more follow after the last one. */
    public record StreamChunk(List<ClusterRequests.ReplicaWrite> entries, boolean more) implements Response {
        public StreamChunk {
            entries = List.copyOf(entries);
            if (entries.size() > CHUNK_ENTRIES_MAX) throw new IllegalArgumentException("too many entries in a chunk");
        }

        public void encode(ByteBuf out) {
            out.writeByte(more ? 1 : 0);
            writeEntries(out, entries);
        }

        static StreamChunk decode(ByteBuf in) {
            boolean more = Wire.readBoolean(in);
            return new StreamChunk(readEntries(in), more);
        }
    }

    /** A leaving node hands entries of a range to one of its new owners, which applies them by last-writer-wins. */
    public record StreamPush(List<ClusterRequests.ReplicaWrite> entries) implements Request {
        public StreamPush {
            entries = List.copyOf(entries);
            if (entries.size() > CHUNK_ENTRIES_MAX) throw new IllegalArgumentException("too many entries in a chunk");
        }

        public Opcode opcode() { return Opcode.STREAM_PUSH; }

        public void encode(ByteBuf out) { writeEntries(out, entries); }

        static StreamPush decode(ByteBuf in) { return new StreamPush(readEntries(in)); }
    }

    /** The answer to STREAM_PUSH: how many of the entries were newer than what the receiver held. */
    public record StreamAck(int applied) implements Response {
        public void encode(ByteBuf out) { out.writeInt(applied); }

        static StreamAck decode(ByteBuf in) {
            int applied = Wire.readInt(in);
            if (applied < 0) throw Wire.malformed("negative applied count");
            return new StreamAck(applied);
        }
    }

    /** Asks a node to decommission itself: stream its ranges to their new owners, then leave and stop. */
    public record Leave() implements Request {
        public Opcode opcode() { return Opcode.LEAVE; }

        public void encode(ByteBuf out) {}

        static Leave decode(ByteBuf in) { return new Leave(); }
    }

    private static void writeEntries(ByteBuf out, List<ClusterRequests.ReplicaWrite> entries) {
        Wire.writeList16(out, entries, ClusterRequests.ReplicaWrite::encode);
    }

    private static List<ClusterRequests.ReplicaWrite> readEntries(ByteBuf in) {
        return Wire.readList16(in, CHUNK_ENTRIES_MAX, "too many entries in a chunk", ClusterRequests.ReplicaWrite::decode);
    }
}
