package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Anti-entropy between replicas (opcodes 0x46-0x48, docs/protocol.md §5, "Anti-entropy"). A range is
 * named by its ring interval (start, end] so that two nodes whose rings briefly disagree still compare
 * the same keys. Each replica folds its entries of a range into a fixed Merkle tree
 * ({@link #FANOUT} children per node, {@link #LEVELS} levels below the root, so
 * {@code FANOUT^LEVELS} leaves); the initiator asks for the hashes of the children of the nodes that
 * differ, descends, then fetches the entries of differing leaves and pushes back what the peer lacks.
 * Node-to-node only.
 */
public final class RepairMessages {
    /** Children of each tree node. */
    public static final int FANOUT = 16;
    /** Levels below the root: leaves are at this level. */
    public static final int LEVELS = 2;
    /** Leaves of one range's tree. */
    public static final int LEAVES = FANOUT * FANOUT;
    /** At most this many tree nodes, leaves or entries per message (a bound on any one frame's work). */
    public static final int ITEMS_MAX = 65_536;

    private RepairMessages() {}

    /** One key's version: a value or a tombstone (never ABSENT). */
    public record Entry(Key key, Responses.Value version) {
        public Entry {
            if (version.state() == Responses.ValueState.ABSENT) throw new IllegalArgumentException("an entry is a version, not ABSENT");
        }

        void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            version.encode(out);
        }

        static Entry decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            Responses.Value version = Responses.Value.decode(in);
            if (version.state() == Responses.ValueState.ABSENT) throw Wire.malformed("a repair entry cannot be ABSENT");
            return new Entry(key, version);
        }

        /** Roughly what the entry costs on the wire, for the bandwidth bound. */
        public int wireBytes() {
            return key.length() + version.value().length + 24;
        }
    }

    /**
     * Asks for the hashes of the children of tree nodes {@code nodes} at {@code level} (0 = the root, whose
     * only node is 0) of the sender's range (start, end]; answered with {@link Hashes}, FANOUT per node, in order.
     */
    public record Digest(long rangeStart, long rangeEnd, int level, List<Integer> nodes) implements Request {
        public Digest {
            nodes = List.copyOf(nodes);
            if (level < 0 || level >= LEVELS) throw new IllegalArgumentException("level must be 0.." + (LEVELS - 1));
            int width = width(level);
            if (nodes.size() > width) throw new IllegalArgumentException("at most " + width + " nodes at level " + level);
            for (int node : nodes) if (node < 0 || node >= width) throw new IllegalArgumentException("no node " + node + " at level " + level);
        }

        public Opcode opcode() { return Opcode.REPAIR_DIGEST; }

        public void encode(ByteBuf out) {
            Shapes.writeRange(out, rangeStart, rangeEnd);
            out.writeByte(level);
            writeInts(out, nodes);
        }

        static Digest decode(ByteBuf in) {
            long start = Wire.readLong(in);
            long end = Wire.readLong(in);
            int level = Wire.readUnsignedByte(in);
            List<Integer> nodes = readInts(in);
            if (level >= LEVELS) throw Wire.malformed("repair tree level " + level + " out of range");
            if (nodes.size() > width(level)) throw Wire.malformed("more tree nodes than level " + level + " has");
            for (int node : nodes) if (node >= width(level)) throw Wire.malformed("no tree node " + node + " at level " + level);
            return new Digest(start, end, level, nodes);
        }
    }

    /** The answer to {@link Digest}: the children's hashes. */
    public record Hashes(List<Long> hashes) implements Response {
        public Hashes {
            hashes = List.copyOf(hashes);
        }

        public void encode(ByteBuf out) { Wire.writeList32(out, hashes, (hash, o) -> o.writeLong(hash)); }

        static Hashes decode(ByteBuf in) { return new Hashes(Wire.readList32(in, ITEMS_MAX, Wire::readLong)); }
    }

    /** Asks for every entry of the range (start, end] in the given leaves; answered with {@link Entries}. */
    public record Fetch(long rangeStart, long rangeEnd, List<Integer> leaves) implements Request {
        public Fetch {
            leaves = List.copyOf(leaves);
            if (leaves.size() > LEAVES) throw new IllegalArgumentException("at most " + LEAVES + " leaves");
            for (int leaf : leaves) if (leaf < 0 || leaf >= LEAVES) throw new IllegalArgumentException("no leaf " + leaf);
        }

        public Opcode opcode() { return Opcode.REPAIR_FETCH; }

        public void encode(ByteBuf out) {
            Shapes.writeRange(out, rangeStart, rangeEnd);
            writeInts(out, leaves);
        }

        static Fetch decode(ByteBuf in) {
            long start = Wire.readLong(in);
            long end = Wire.readLong(in);
            List<Integer> leaves = readInts(in);
            if (leaves.size() > LEAVES) throw Wire.malformed("more leaves than a tree has");
            for (int leaf : leaves) if (leaf >= LEAVES) throw Wire.malformed("no repair leaf " + leaf);
            return new Fetch(start, end, leaves);
        }
    }

    /**
     * The answer to {@link Fetch}: {@code leavesServed}, a prefix of the leaves asked, and every entry of
     * those leaves. A replier stops at a leaf boundary once the answer passes {@link #ENTRY_BYTES_SOFT_MAX}
     * (serving at least one leaf), so the asker fetches the rest in another message.
     */
    public record Entries(int leavesServed, List<Entry> entries) implements Response {
        public Entries {
            entries = List.copyOf(entries);
            if (leavesServed < 0) throw new IllegalArgumentException("leavesServed must be >= 0");
        }

        public void encode(ByteBuf out) {
            out.writeInt(leavesServed);
            writeEntries(out, entries);
        }

        static Entries decode(ByteBuf in) {
            int served = Wire.readInt(in);
            if (served < 0 || served > ITEMS_MAX) throw Wire.malformed("leaves served " + served + " out of range");
            return new Entries(served, readEntries(in));
        }
    }

    /** An answer to {@link Fetch} stops adding leaves past this many entry bytes (well under the frame limit). */
    public static final int ENTRY_BYTES_SOFT_MAX = 2 << 20;

    /** Versions the receiver lacks or holds older: applied by last-writer-wins; answered with {@link Pushed}. */
    public record Push(List<Entry> entries) implements Request {
        public Push {
            entries = List.copyOf(entries);
        }

        public Opcode opcode() { return Opcode.REPAIR_PUSH; }

        public void encode(ByteBuf out) { writeEntries(out, entries); }

        static Push decode(ByteBuf in) { return new Push(readEntries(in)); }
    }

    /** The answer to {@link Push}: how many of the entries won (were newer than what the receiver held). */
    public record Pushed(int applied) implements Response {
        public Pushed {
            if (applied < 0) throw new IllegalArgumentException("applied must be >= 0");
        }

        public void encode(ByteBuf out) { out.writeInt(applied); }

        static Pushed decode(ByteBuf in) {
            int applied = Wire.readInt(in);
            if (applied < 0) throw Wire.malformed("negative applied count");
            return new Pushed(applied);
        }
    }

    /**
     * Asks a node to run an anti-entropy round now (the admin API's repair of every node); answered with
     * {@link Summary} once the round has ended.
     */
    public record Run() implements Request {
        public Opcode opcode() { return Opcode.REPAIR_RUN; }

        public void encode(ByteBuf out) {}

        static Run decode(ByteBuf in) { return new Run(); }
    }

    /** The answer to {@link Run}: what the round found and fixed (the fields of docs/admin-api.md's repair report). */
    public record Summary(boolean complete, long durationMs, long rangesCompared, long rangesDiffering, long rangesFailed,
                          long keysDiffering, long entriesReceived, long entriesSent, long bytesSent, long bytesReceived)
            implements Response {
        public void encode(ByteBuf out) {
            out.writeByte(complete ? 1 : 0);
            for (long n : numbers()) out.writeLong(n);
        }

        private long[] numbers() {
            return new long[] {durationMs, rangesCompared, rangesDiffering, rangesFailed, keysDiffering, entriesReceived,
                    entriesSent, bytesSent, bytesReceived};
        }

        static Summary decode(ByteBuf in) {
            boolean complete = Wire.readBoolean(in);
            long[] n = new long[9];
            for (int i = 0; i < n.length; i++) {
                n[i] = Wire.readLong(in);
                if (n[i] < 0) throw Wire.malformed("negative repair figure");
            }
            return new Summary(complete, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]);
        }
    }

    /** Tree nodes at {@code level}: FANOUT^level. */
    public static int width(int level) {
        int width = 1;
        for (int i = 0; i < level; i++) width *= FANOUT;
        return width;
    }

    private static void writeInts(ByteBuf out, List<Integer> values) {
        Wire.writeList32(out, values, (value, o) -> o.writeInt(value));
    }

    private static List<Integer> readInts(ByteBuf in) {
        return Wire.readList32(in, ITEMS_MAX, RepairMessages::readTreeIndex);
    }

    private static int readTreeIndex(ByteBuf in) {
        int value = Wire.readInt(in);
        if (value < 0) throw Wire.malformed("negative tree index");
        return value;
    }

    private static void writeEntries(ByteBuf out, List<Entry> entries) {
        Wire.writeList32(out, entries, Entry::encode);
    }

    private static List<Entry> readEntries(ByteBuf in) {
        return Wire.readList32(in, ITEMS_MAX, Entry::decode);
    }
}
