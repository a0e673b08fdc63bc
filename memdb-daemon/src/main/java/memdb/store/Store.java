package memdb.store;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Timestamp;

/**
 * The in-memory data of one node: the newest version of each key, last-writer-wins by timestamp.
 *
 * <p>Layout (issues 3 and 8: boot time, bytes per key and GC pauses): the entries ({@link EntryLayout}:
 * kind, timestamp, key, value; 8-byte aligned) lie back to back in large slabs off the heap
 * ({@link Slabs}: direct buffers, freed as soon as released), and a hash table of {@value #SEGMENTS}
 * segments ({@link TableSegment}: open addressing, linear probing, two {@code int} arrays of each entry's
 * address in the slabs and its key hash; picked by the hash's top bits, each growing alone, so that no
 * doubling stops the core thread for more than a fraction of a millisecond) finds them. No object per key
 * and no reference in the table: a key costs its entry and eight bytes a slot; the GC neither copies nor marks the data
 * (a young collection during a fill no longer copies the new slabs), and filling the table stores no
 * young reference into an old array (no card marking, no G1 refinement during replay). Reads hand out
 * copies ({@link Versioned} records), so the slabs are never shared.
 *
 * <p>A write stages its header and key at the end of the current slab, finds the key's slot by hash
 * and key bytes, and applies last-writer-wins. If applied and the held entry has the same aligned size,
 * the new one overwrites it in place (no garbage: the counter and same-size SET case); else the staged
 * entry is kept (the append offset moves on; an entry over a quarter of a slab is copied into a slab of
 * its own) and the held one is marked DEAD. Staged bytes of a write that lost are simply overwritten.
 *
 * <p>Compaction (log-structured memory, as in RAMCloud): after each change, while the garbage (dead
 * entries, unused tails of sealed slabs) is above a quarter of the bytes the shared slabs use, the sealed
 * slab with the most garbage is walked, each live entry moved to the current slab (its slot is
 * found again by re-hashing its key and probing for its address), and the slab released; at most
 * {@value #COMPACTIONS_PER_CHANGE_MAX} slabs per change, so a write's extra latency is bounded by copying
 * two slabs (≤ 512 KiB). Bounds: above the limit the victim holds at least about the average garbage, a
 * quarter of a slab, so at most 3 bytes are copied per byte freed (each byte written is copied at most
 * about 3 more times, with entries much smaller than a slab). After every change the garbage is at most
 * its limit plus one and a half slabs (the current slab's dead entries, which wait until it is sealed, and
 * what one change can add: the entry it killed and the tail of the slab it sealed; SlabStorePropertyTest
 * checks it), so the shared slabs use at most 4/3 of the live bytes plus two slabs (0.5 MiB). No floor of
 * a few slabs before compacting: a small node's deletes must free memory under a max-memory smaller than
 * two slabs (LimitsTest), and compacting a small slab is cheap. Replay of a 1M-key log
 * ({@link #applyFrom}) writes each entry once and compacts nothing unless keys repeat.
 *
 * <p>Invariants: keys are compared by their full bytes (the hash only narrows the search); every entry
 * that is not DEAD is named by exactly one slot, and every slot names a live entry; a key's stored
 * timestamp never decreases; a delete is a tombstone (kept until purged after the tombstone grace
 * period), so that an older write replayed or delivered late cannot resurrect the key; each table segment
 * is at most three-quarters full, and a removal shifts the following run back (no tombstone slots). Not
 * thread-safe: owned by the node's core thread.
 */
public final class Store {
    /** 2^6 segments, so that a segment of a million keys holds ~16,000 (its doubling copies ~12,000). */
    static final int SEGMENT_BITS = 6;
    /** The table's segments: {@link #forEachKeyIn} walks one, a fraction of the store that no change moves a key out of. */
    public static final int SEGMENTS = 1 << SEGMENT_BITS;
    static final int COMPACTIONS_PER_CHANGE_MAX = 2;

    private final Slabs slabs;
    private final TableSegment[] segments = new TableSegment[SEGMENTS];
    /** The heap the segments' arrays take, kept as they grow and shrink: {@link #memoryBytes} is read on every write. */
    private long tableHeapBytes;
    private int liveKeys;
    private long changes;
    /** The entry being written: staged at the current slab's append offset by {@link #stage}. */
    private ByteBuffer stagedSlab;
    private int stagedOffset;

    /**
     * The outcome of {@link #apply}: whether the incoming version won, whether the key held a live value
     * before it, and, when it lost, the timestamp of the version that beat it (else null). Nothing of the
     * previous version is copied out: an applied write allocates nothing for its outcome.
     */
    public record Applied(boolean applied, boolean previousWasLive, Timestamp heldTimestamp) {
        private static final Applied OVER_LIVE = new Applied(true, true, null);
        private static final Applied OVER_NOTHING_LIVE = new Applied(true, false, null);

        /** The incoming version lost to a newer one already held: a detected concurrent write. */
        public boolean superseded() {
            return !applied;
        }
    }

    public Store() {
        this(0);
    }

    /** A store sized for about {@code expectedEntries} without growing (replay knows roughly how many). */
    public Store(int expectedEntries) {
        this(expectedEntries, Slabs.SLAB_BYTES_DEFAULT);
    }

    /** With slabs of {@code slabBytes} (tests use tiny slabs so that compaction runs all the time). */
    Store(int expectedEntries, int slabBytes) {
        slabs = new Slabs(slabBytes);
        int capacity = TableSegment.capacityFor(Math.max(0, expectedEntries) / SEGMENTS);
        for (int i = 0; i < SEGMENTS; i++) segments[i] = new TableSegment(capacity);
        tableHeapBytes = SEGMENTS * segmentHeapBytes(capacity);
    }

    /** The stored version (value or tombstone), or null when the key was never written. */
    public Versioned get(Key key) {
        int address = addressOf(key);
        return address == 0 ? null : EntryLayout.version(slabs.slab(address), Slabs.offset(address));
    }

    /** The live value, or null when absent or deleted. */
    public byte[] getValue(Key key) {
        int address = addressOf(key);
        if (address == 0) return null;
        ByteBuffer slab = slabs.slab(address);
        int offset = Slabs.offset(address);
        return EntryLayout.isTombstoneCode(EntryLayout.kindCode(slab, offset)) ? null : EntryLayout.value(slab, offset);
    }

    /**
     * Applies a version if it is newer than what the key holds (last-writer-wins). An equal timestamp
     * is the same write delivered twice and is not applied again.
     */
    public Applied apply(Key key, Versioned incoming) {
        byte[] value = incoming.value();
        stage(EntryLayout.kindCode(incoming.kind()), incoming.timestamp().lamport(), incoming.timestamp().nodeId(),
                key.length(), value.length);
        stagedSlab.put(stagedOffset + EntryLayout.KEY, key.bytes(), 0, key.length());
        int hash = spread(key.hashCode());
        TableSegment segment = segment(hash);
        int slot = segment.locate(slabs, hash, stagedSlab, stagedOffset);
        int held = segment.addresses[slot];
        boolean previousWasLive = held != 0
                && !EntryLayout.isTombstoneCode(EntryLayout.kindCode(slabs.slab(held), Slabs.offset(held)));
        if (!wins(held)) {
            ByteBuffer heldSlab = slabs.slab(held);
            int heldOffset = Slabs.offset(held);
            return new Applied(false, previousWasLive,
                    new Timestamp(EntryLayout.lamport(heldSlab, heldOffset), EntryLayout.nodeId(heldSlab, heldOffset)));
        }
        int address = place(segment, slot, hash);
        slabs.slab(address).put(valueOffset(address, key.length()), value, 0, value.length);
        compact();
        return previousWasLive ? Applied.OVER_LIVE : Applied.OVER_NOTHING_LIVE;
    }

    /**
     * {@link #apply} for op-log replay: the version is read in place from {@code source} (key at
     * {@code keyPosition}, value at {@code valuePosition}, absolute positions) and copied once, straight into
     * its slab, with no key, version or outcome object on the way (the key is staged and hashed in the slab;
     * {@code ByteBuffer.put(int, ByteBuffer, int, int)} copies without allocating). Same last-writer-wins rule.
     *
     * @return whether the version was applied (false: the key holds a version at least as new)
     */
    public boolean applyFrom(ByteBuffer source, int keyPosition, int keyLength, int valuePosition, int valueLength,
                             boolean tombstone, long lamport, int nodeId) {
        stage(EntryLayout.kindCode(tombstone ? Versioned.Kind.TOMBSTONE : Versioned.Kind.VALUE), lamport, nodeId,
                keyLength, valueLength);
        stagedSlab.put(stagedOffset + EntryLayout.KEY, source, keyPosition, keyLength);
        int hash = spread(EntryLayout.keyHash(stagedSlab, stagedOffset));
        TableSegment segment = segment(hash);
        int slot = segment.locate(slabs, hash, stagedSlab, stagedOffset);
        if (!wins(segment.addresses[slot])) return false;
        int address = place(segment, slot, hash);
        slabs.slab(address).put(valueOffset(address, keyLength), source, valuePosition, valueLength);
        compact();
        return true;
    }

    /**
     * Writes the header of the incoming entry at the current slab's append offset, with room after it for
     * the key, and for the value too unless the entry is large (then it goes to a slab of its own).
     */
    private void stage(byte kind, long lamport, int nodeId, int keyLength, int valueLength) {
        long bytes = EntryLayout.alignedBytes(keyLength, valueLength);
        if (bytes > Slabs.ARRAY_BYTES_MAX) {
            throw new IllegalArgumentException("an entry of " + bytes + " bytes is larger than the largest array");
        }
        int room = slabs.isLarge(bytes) ? EntryLayout.alignedHeaderAndKeyBytes(keyLength) : (int) bytes;
        stagedSlab = slabs.currentWithRoom(room);
        stagedOffset = slabs.appendOffset();
        EntryLayout.writeHeader(stagedSlab, stagedOffset, kind, lamport, nodeId, keyLength, valueLength);
    }

    /** Whether the staged entry beats what the slot holds ({@code held}, 0 for nothing). */
    private boolean wins(int held) {
        return held == 0 || EntryLayout.isNewer(stagedSlab, stagedOffset, slabs.slab(held), Slabs.offset(held));
    }

    /**
     * Makes the staged entry (header and key) the slot's: in place of the held entry when it has the same
     * size, else appended or in a dedicated slab, the held one killed. Returns its address; the caller
     * copies the value in.
     */
    private int place(TableSegment segment, int slot, int hash) {
        int keyLength = EntryLayout.keyLength(stagedSlab, stagedOffset);
        long bytes = EntryLayout.alignedBytes(keyLength, EntryLayout.valueLength(stagedSlab, stagedOffset));
        int live = live(EntryLayout.kindCode(stagedSlab, stagedOffset));
        int held = segment.addresses[slot];
        if (held != 0) {
            ByteBuffer heldSlab = slabs.slab(held);
            int heldOffset = Slabs.offset(held);
            int heldLive = live(EntryLayout.kindCode(heldSlab, heldOffset));
            int address = held;
            if (fitsInPlace(held, bytes)) {
                heldSlab.put(heldOffset, stagedSlab, stagedOffset, EntryLayout.KEY + keyLength);
            } else {
                address = commitStaged(bytes, keyLength);
                segment.addresses[slot] = address;
                slabs.kill(held);
            }
            changes++;
            liveKeys += live - heldLive;
            return address;
        }
        int address = commitStaged(bytes, keyLength);
        changes++;
        liveKeys += live;
        if (!segment.add(slot, address, hash)) resize(segment, segment::grow);
        return address;
    }

    /** Whether an entry of {@code bytes} can overwrite the one at {@code held}: it takes exactly the same space. */
    private boolean fitsInPlace(int held, long bytes) {
        ByteBuffer slab = slabs.slab(held);
        if (slabs.isDedicated(held)) {
            return slabs.isLarge(bytes) && slab.capacity() == bytes;
        }
        return EntryLayout.alignedBytes(slab, Slabs.offset(held)) == bytes;
    }

    /** Keeps the staged entry where it is, or copies its header and key to a dedicated slab if it is large. */
    private int commitStaged(long bytes, int keyLength) {
        if (!slabs.isLarge(bytes)) return slabs.append((int) bytes);
        int address = slabs.allocateDedicated((int) bytes);
        slabs.slab(address).put(0, stagedSlab, stagedOffset, EntryLayout.KEY + keyLength);
        return address;
    }

    private static int valueOffset(int address, int keyLength) {
        return Slabs.offset(address) + EntryLayout.KEY + keyLength;
    }

    /**
     * Shrinks the table to the capacity its entries need when it is more than twice that (after a replay
     * that sized the store by a guess, {@link #Store(int)}, that was too high), and gives the slab pool back.
     */
    public void trim() {
        for (TableSegment segment : segments) resize(segment, segment::trim);
        slabs.trim();
    }

    /** Removes a tombstone for good (after the grace period); a live value is never purged. */
    public boolean purgeTombstone(Key key, Versioned tombstone) {
        int hash = spread(key.hashCode());
        TableSegment segment = segment(hash);
        int slot = segment.find(slabs, hash, key.bytes());
        if (slot < 0) return false;
        int address = segment.addresses[slot];
        ByteBuffer slab = slabs.slab(address);
        int offset = Slabs.offset(address);
        if (!EntryLayout.isTombstoneCode(EntryLayout.kindCode(slab, offset))
                || !EntryLayout.version(slab, offset).equals(tombstone)) {
            return false;
        }
        remove(segment, slot);
        return true;
    }

    /**
     * Forgets a key this node no longer replicates (its range moved to other nodes, which hold it):
     * unlike a delete, nothing is written, and the key's other replicas keep their versions.
     */
    public void drop(Key key) {
        int hash = spread(key.hashCode());
        TableSegment segment = segment(hash);
        int slot = segment.find(slabs, hash, key.bytes());
        if (slot < 0) return;
        int address = segment.addresses[slot];
        liveKeys -= live(EntryLayout.kindCode(slabs.slab(address), Slabs.offset(address)));
        remove(segment, slot);
    }

    /** Grows with every change (applied version, purge or drop): lets a reader tell whether a snapshot is stale. */
    public long changes() {
        return changes;
    }

    /** Keys holding a live value. */
    public int liveKeys() {
        return liveKeys;
    }

    /** Entries including tombstones. */
    public int entries() {
        int entries = 0;
        for (TableSegment segment : segments) entries += segment.size;
        return entries;
    }

    /**
     * Bytes the store holds: its slabs (shared, dedicated, pooled; off the heap) and its table (on it); what
     * /metrics reports, and what max-memory is checked against on every write.
     */
    public long memoryBytes() {
        return slabs.memoryBytes() + tableHeapBytes;
    }

    /** Grows or shrinks {@code segment} ({@code change}), keeping {@link #tableHeapBytes}. */
    private void resize(TableSegment segment, Runnable change) {
        long before = segmentHeapBytes(segment.capacity());
        change.run();
        tableHeapBytes += segmentHeapBytes(segment.capacity()) - before;
    }

    /** A segment's two int arrays (addresses and hashes) of {@code capacity} slots. */
    private static long segmentHeapBytes(int capacity) {
        return 2 * EntryLayout.arrayHeapBytes(4L * capacity);
    }

    /** Garbage in the shared slabs, for tests of the compaction bound. */
    long garbageBytes() {
        return slabs.garbageBytes();
    }

    long slabMemoryBytes() {
        return slabs.memoryBytes();
    }

    /** The table's heap counted afresh over the segments, for tests: what {@link #memoryBytes} keeps. */
    long tableHeapBytesCounted() {
        long bytes = 0;
        for (TableSegment segment : segments) bytes += segmentHeapBytes(segment.capacity());
        return bytes;
    }

    /** Entries of the fullest table segment, for tests: what its next doubling would move. */
    int largestSegmentEntries() {
        int largest = 0;
        for (TableSegment segment : segments) largest = Math.max(largest, segment.size);
        return largest;
    }

    /** The garbage above which compaction runs. */
    long garbageBytesLimit() {
        return slabs.garbageBytesLimit();
    }

    /**
     * Visits every entry (tombstones included) with a copy of its key and version. The action must not
     * change the store (a change may compact and move the entries being walked): collect, then change.
     */
    public void forEach(BiConsumer<Key, Versioned> action) {
        forEachAddress(address -> {
            ByteBuffer slab = slabs.slab(address);
            int offset = Slabs.offset(address);
            action.accept(EntryLayout.key(slab, offset), EntryLayout.version(slab, offset));
        });
    }

    /**
     * Visits the keys (copies, tombstones' included) of table segment {@code segment}, 0 to {@link #SEGMENTS} - 1:
     * a key is in one segment for its whole life (picked by its hash), so a walk of the segments one at a time,
     * with changes in between, visits once every key present throughout. Returns the number of keys visited.
     * The action must not change the store.
     */
    public int forEachKeyIn(int segment, Consumer<Key> action) {
        TableSegment walked = segments[segment];
        forEachAddressIn(walked, address -> action.accept(EntryLayout.key(slabs.slab(address), Slabs.offset(address))));
        return walked.size;
    }

    /** Entries (tombstones included) of table segment {@code segment}: what {@link #forEachKeyIn} would visit. */
    public int entriesIn(int segment) {
        return segments[segment].size;
    }

    /** The address of every entry, segment by segment. */
    private void forEachAddress(IntConsumer action) {
        for (TableSegment segment : segments) forEachAddressIn(segment, action);
    }

    private static void forEachAddressIn(TableSegment segment, IntConsumer action) {
        for (int address : segment.addresses) {
            if (address != 0) action.accept(address);
        }
    }

    private TableSegment segment(int hash) {
        return segments[hash >>> (Integer.SIZE - SEGMENT_BITS)];
    }

    /** The address of the key's entry, or 0. */
    private int addressOf(Key key) {
        int hash = spread(key.hashCode());
        TableSegment segment = segment(hash);
        int slot = segment.find(slabs, hash, key.bytes());
        return slot < 0 ? 0 : segment.addresses[slot];
    }

    private void remove(TableSegment segment, int slot) {
        slabs.kill(segment.addresses[slot]);
        segment.removeAt(slot);
        changes++;
        compact();
    }

    /**
     * Compacts at most {@value #COMPACTIONS_PER_CHANGE_MAX} sealed slabs while the garbage is above its limit.
     * Without direct memory for the slab to move into, it stops (the change it follows stands; the entries
     * moved so far are in place, the rest where they were) and the next change tries again.
     */
    private void compact() {
        for (int i = 0; i < COMPACTIONS_PER_CHANGE_MAX && slabs.garbageBytes() > slabs.garbageBytesLimit(); i++) {
            int victim = slabs.victim();
            if (victim == 0) return;
            try {
                compactSlab(victim);
            } catch (MemDbException e) {
                return;
            }
        }
    }

    /** Moves every live entry of sealed slab {@code index} to the current slab, repoints its slot, releases the slab. */
    private void compactSlab(int index) {
        ByteBuffer slab = slabs.slab(Slabs.address(index, 0));
        for (int offset = 0, end = slabs.end(index); offset < end; ) {
            int bytes = EntryLayout.alignedBytes(slab, offset);
            if (EntryLayout.kindCode(slab, offset) != EntryLayout.DEAD) {
                int from = Slabs.address(index, offset);
                int hash = spread(EntryLayout.keyHash(slab, offset));
                TableSegment segment = segment(hash);
                int slot = segment.slotOf(from, hash);
                ByteBuffer target = slabs.currentWithRoom(bytes);
                target.put(slabs.appendOffset(), slab, offset, bytes);
                segment.addresses[slot] = slabs.append(bytes);
                slabs.moved(from, bytes);
            }
            offset += bytes;
        }
        slabs.releaseCompacted(index);
    }

    /** Spreads Key's array hash (weak in its low bits for similar keys) over the whole int. */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int live(byte kind) {
        return EntryLayout.isTombstoneCode(kind) ? 0 : 1;
    }
}
