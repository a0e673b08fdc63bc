package memdb.oplog.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongConsumer;
import memdb.limits.VmOptions;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The newest record of each key among those a compaction offers (one table per kind of record, see
 * {@link Compactor}). Built for the compactor's common case, a key overwritten again and again, and for the
 * garbage collector: an open-addressing table with linear probing of two primitive arrays (each key's entry
 * reference and its hash), over entries laid out back to back in large {@code byte[]} chunks (header, key,
 * room for the value), so that a compaction of a million keys holds a few hundred arrays, not three objects
 * per key (session 9: that object graph lived for the whole paced compaction and made G1's young pauses
 * 100-700 ms while it ran under load). The frame's key is copied into one scratch array to be hashed and
 * compared; a record that replaces the held one overwrites the entry's fields, and its value in place when
 * the entry has room for it (else it gets a new entry). Reading a log of overwrites allocates nothing per
 * record; the memory used follows the distinct keys; {@link #toRecord} makes records only of what is kept.
 *
 * <p>An entry is named by a reference: its chunk index in the high 32 bits, its offset in the low ones.
 * Invariants: one entry per distinct key bytes, named by exactly one table slot; an entry holds the fields of
 * the newest record offered for its key by timestamp (lamport, then node id, as {@link Timestamp#isAfter});
 * a record whose timestamp is not after the held one changes nothing (the first offered of equal timestamps
 * stays, as with {@code Map.merge}); the table is at most three-quarters full. Not thread-safe.
 */
final class NewestPerKey {
    /** No entry: what {@link #find} returns for a key never offered. */
    static final long NONE = -1;

    private static final int CAPACITY_MIN = 16;
    private static final int CHUNK_BYTES_MIN = 4 << 10;
    /** What a full chunk leaves of its G1 region for the array's header and alignment. */
    static final int REGION_SLACK_BYTES = 64;
    private static final int CHUNK_BYTES_MAX_WITHOUT_G1 = 256 << 10;
    /** Chunks grow by doubling up to this ({@link #nextChunkBytes}); an entry larger than it gets a chunk of its own. */
    static final int CHUNK_BYTES_MAX = chunkBytesMax(g1RegionBytes());
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    // An entry's header, then its key, then room for valueCapacity bytes of value; 8-byte aligned.
    private static final int SEQUENCE = 0;
    private static final int LAMPORT = 8;
    private static final int WALL_MILLIS = 16;
    private static final int NODE_ID = 24;
    private static final int OP_CODE = 28;
    private static final int KEY_LENGTH = 32;
    private static final int VALUE_LENGTH = 36;
    private static final int VALUE_CAPACITY = 40;
    private static final int HEADER_BYTES = 48;

    /** The key of the frame being offered, copied out of its buffer. */
    private byte[] scratch = new byte[64];
    /** Each slot's entry reference plus one (0: an empty slot). */
    private long[] refs = new long[CAPACITY_MIN];
    /** Each slot's key hash beside it, so that a probe compares ints and touches an entry only on a match. */
    private int[] hashes = new int[CAPACITY_MIN];
    private int size;
    private byte[][] chunks = new byte[4][];
    private int chunkCount;
    /** The chunk entries are appended to (-1: none yet); an entry larger than a chunk has one of its own beside it. */
    private int appendChunk = -1;
    /** Where the next entry goes in the append chunk. */
    private int appendOffset;

    /** Offers the record of a frame: kept when it is the first of its key or newer than the held one. */
    void offer(Frame f) {
        if (scratch.length < f.keyLength) scratch = new byte[Math.max(f.keyLength, scratch.length * 2)];
        f.buf.get(f.keyPosition, scratch, 0, f.keyLength); // one bulk copy: hashed and compared on the heap
        offer(scratch, f.keyLength, f.buf, f.valuePosition, f.valueLength, f.sequence, f.op, f.lamport, f.nodeId, f.wallMillis);
    }

    /** Offers a whole record: the same rule as for a frame. */
    void offer(LogRecord r) {
        byte[] key = r.key().bytes();
        offer(key, key.length, ByteBuffer.wrap(r.value()), 0, r.value().length,
                r.sequence(), r.op(), r.timestamp().lamport(), r.timestamp().nodeId(), r.wallMillis());
    }

    /** {@code key[0, keyLength)} is the key; a new entry takes a copy of it. */
    private void offer(byte[] key, int keyLength, ByteBuffer valueSource, int valuePosition, int valueLength,
                       long sequence, Op op, long lamport, int nodeId, long wallMillis) {
        int hash = hash(key, keyLength);
        int i = slotOf(key, keyLength, hash);
        long ref;
        if (refs[i] == 0) {
            ref = newEntry(key, keyLength, valueLength);
            refs[i] = ref + 1;
            hashes[i] = hash;
            if (++size * 4L > refs.length * 3L) grow();
        } else {
            ref = refs[i] - 1;
            long heldLamport = lamport(ref);
            if (lamport < heldLamport || (lamport == heldLamport && nodeId <= nodeId(ref))) return;
            int capacity = valueCapacity(ref);
            if (capacity < valueLength) {
                // The old entry stays behind, unnamed, until the table is dropped; the new one has room to grow into
                // (twice the old), so a value growing record after record leaves behind at most as much as it holds.
                int room = (int) Math.max(valueLength, Math.min(RecordCodec.VALUE_BYTES_MAX, 2L * capacity));
                ref = newEntry(key, keyLength, room);
                refs[i] = ref + 1;
            }
        }
        byte[] chunk = chunk(ref);
        int at = offset(ref);
        LONG.set(chunk, at + SEQUENCE, sequence);
        LONG.set(chunk, at + LAMPORT, lamport);
        LONG.set(chunk, at + WALL_MILLIS, wallMillis);
        INT.set(chunk, at + NODE_ID, nodeId);
        INT.set(chunk, at + OP_CODE, op.code());
        INT.set(chunk, at + VALUE_LENGTH, valueLength);
        valueSource.get(valuePosition, chunk, at + HEADER_BYTES + keyLength, valueLength);
    }

    /** A new entry with {@code key[0, keyLength)} and room for {@code valueCapacity} bytes of value; its fields are set by the caller. */
    private long newEntry(byte[] key, int keyLength, int valueCapacity) {
        int bytes = align(HEADER_BYTES + keyLength + valueCapacity);
        int chunkIndex;
        int at;
        if (bytes > CHUNK_BYTES_MAX) { // a chunk of its own; the append chunk keeps its room
            chunkIndex = addChunk(bytes);
            at = 0;
        } else {
            if (appendChunk < 0 || appendOffset + bytes > chunks[appendChunk].length) {
                int previous = appendChunk < 0 ? 0 : chunks[appendChunk].length;
                appendChunk = addChunk(nextChunkBytes(previous, bytes, CHUNK_BYTES_MAX));
                appendOffset = 0;
            }
            chunkIndex = appendChunk;
            at = appendOffset;
            appendOffset += bytes;
        }
        byte[] chunk = chunks[chunkIndex];
        INT.set(chunk, at + KEY_LENGTH, keyLength);
        INT.set(chunk, at + VALUE_CAPACITY, valueCapacity);
        System.arraycopy(key, 0, chunk, at + HEADER_BYTES, keyLength);
        return ((long) chunkIndex << 32) | at;
    }

    /**
     * The largest chunk in a heap of G1 regions of {@code g1RegionBytes} (0: another collector): one region,
     * less the array's header, so that a full chunk is a humongous object that fills its region, allocated in
     * the old generation and never copied by a young collection. (Session 10: 256 KiB chunks, each copied once
     * by a young collection, made G1's young pauses 127-155 ms while a compaction of a million keys ran under
     * churn. Review 9: a byte[1 MiB] in 1 MiB regions takes two of them; one region less the header takes one.)
     * Under another collector, 256 KiB.
     */
    static int chunkBytesMax(long g1RegionBytes) {
        if (g1RegionBytes < (1 << 20) || g1RegionBytes > (1 << 30)) return CHUNK_BYTES_MAX_WITHOUT_G1;
        return (int) g1RegionBytes - REGION_SLACK_BYTES;
    }

    /**
     * The size of the next append chunk after one of {@code previousBytes} (0: the first), for an entry of
     * {@code entryBytes} (at most {@code maxBytes}): twice the previous, at least {@link #CHUNK_BYTES_MIN}, at
     * most {@code maxBytes}, and straight to {@code maxBytes} from half of it up: under G1 a chunk of half a
     * region or more is humongous and takes a whole region anyway.
     */
    static int nextChunkBytes(int previousBytes, int entryBytes, int maxBytes) {
        long bytes = Math.max(CHUNK_BYTES_MIN, Math.max(entryBytes, 2L * previousBytes));
        return bytes >= maxBytes / 2 ? maxBytes : (int) bytes;
    }

    /** The JVM's G1 region size, or 0 when it runs another collector (or does not say). */
    private static long g1RegionBytes() {
        return VmOptions.isOn("UseG1GC") ? VmOptions.number("G1HeapRegionSize", 0) : 0;
    }

    /** A new chunk of {@code bytes}; returns its index. */
    private int addChunk(int bytes) {
        if (chunkCount == chunks.length) chunks = Arrays.copyOf(chunks, chunks.length * 2);
        chunks[chunkCount] = new byte[bytes];
        return chunkCount++;
    }

    /** Bytes of every chunk held (tests: what the table's memory follows). */
    long chunkBytes() {
        long total = 0;
        for (int i = 0; i < chunkCount; i++) total += chunks[i].length;
        return total;
    }

    private static int align(int bytes) {
        return (bytes + 7) & ~7;
    }

    /** The entry of {@code key}, or {@link #NONE} when no record of it was offered. */
    long find(byte[] key) {
        long stored = refs[slotOf(key, key.length, hash(key, key.length))];
        return stored == 0 ? NONE : stored - 1;
    }

    /** The index of the slot naming the entry of {@code key[0, length)}, or of the empty slot where it would go. */
    private int slotOf(byte[] key, int length, int hash) {
        int mask = refs.length - 1;
        int i = spread(hash) & mask;
        while (refs[i] != 0 && !(hashes[i] == hash && sameKey(refs[i] - 1, key, length))) i = (i + 1) & mask;
        return i;
    }

    private boolean sameKey(long ref, byte[] key, int length) {
        byte[] chunk = chunk(ref);
        int at = offset(ref);
        return (int) INT.get(chunk, at + KEY_LENGTH) == length
                && Arrays.equals(chunk, at + HEADER_BYTES, at + HEADER_BYTES + length, key, 0, length);
    }

    int size() {
        return size;
    }

    /** Every entry, in no particular order. */
    void forEach(LongConsumer action) {
        for (long stored : refs) if (stored != 0) action.accept(stored - 1);
    }

    long sequence(long ref) {
        return (long) LONG.get(chunk(ref), offset(ref) + SEQUENCE);
    }

    long wallMillis(long ref) {
        return (long) LONG.get(chunk(ref), offset(ref) + WALL_MILLIS);
    }

    private long lamport(long ref) {
        return (long) LONG.get(chunk(ref), offset(ref) + LAMPORT);
    }

    private int nodeId(long ref) {
        return (int) INT.get(chunk(ref), offset(ref) + NODE_ID);
    }

    private int valueCapacity(long ref) {
        return (int) INT.get(chunk(ref), offset(ref) + VALUE_CAPACITY);
    }

    Timestamp timestamp(long ref) {
        return new Timestamp(lamport(ref), nodeId(ref));
    }

    boolean isTombstone(long ref) {
        return (int) INT.get(chunk(ref), offset(ref) + OP_CODE) == Op.DELETE.code();
    }

    /** The entry's key bytes, copied out. */
    byte[] key(long ref) {
        byte[] chunk = chunk(ref);
        int at = offset(ref) + HEADER_BYTES;
        return Arrays.copyOfRange(chunk, at, at + (int) INT.get(chunk, offset(ref) + KEY_LENGTH));
    }

    /** The held record, copied out (its own key and value: the entry is overwritten by newer records). */
    LogRecord toRecord(long ref) {
        byte[] chunk = chunk(ref);
        int at = offset(ref);
        int keyLength = (int) INT.get(chunk, at + KEY_LENGTH);
        int valueStart = at + HEADER_BYTES + keyLength;
        byte[] value = Arrays.copyOfRange(chunk, valueStart, valueStart + (int) INT.get(chunk, at + VALUE_LENGTH));
        return new LogRecord(sequence(ref), Op.fromCode((int) INT.get(chunk, at + OP_CODE)), timestamp(ref),
                wallMillis(ref), Key.wrap(key(ref)), value);
    }

    private byte[] chunk(long ref) {
        return chunks[(int) (ref >>> 32)];
    }

    private static int offset(long ref) {
        return (int) ref;
    }

    private void grow() {
        long[] oldRefs = refs;
        int[] oldHashes = hashes;
        refs = new long[oldRefs.length * 2];
        hashes = new int[refs.length];
        int mask = refs.length - 1;
        for (int j = 0; j < oldRefs.length; j++) {
            if (oldRefs[j] == 0) continue;
            int i = spread(oldHashes[j]) & mask;
            while (refs[i] != 0) i = (i + 1) & mask;
            refs[i] = oldRefs[j];
            hashes[i] = oldHashes[j];
        }
    }

    /** A hash of {@code key[0, length)}, eight bytes at a time. */
    private static int hash(byte[] key, int length) {
        long h = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) h = (h ^ (long) LONG.get(key, i)) * 0x9E3779B97F4A7C15L;
        for (; i < length; i++) h = (h ^ (key[i] & 0xFF)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Murmur3's finalizer, so that the low bits the table uses depend on every bit of the hash. */
    private static int spread(int hash) {
        int h = hash ^ (hash >>> 16);
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
