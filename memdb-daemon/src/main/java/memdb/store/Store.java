package memdb.store;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import memdb.protocol.Key;

/**
 * The in-memory data of one node: the newest version of each key, last-writer-wins by timestamp.
 *
 * <p>Layout (issue 8, bytes per key): an open-addressing hash table with linear probing over two
 * parallel arrays — the entries, each one flat {@code byte[]} ({@link EntryLayout}: kind, timestamp,
 * key, value), and their key hashes, so that a probe compares ints and touches an entry only on a hash
 * match. A key therefore costs one heap object and about eight bytes of table, instead of a map node,
 * a key wrapper, a version and a timestamp; replay and GC have a sixth of the objects to handle.
 * Reads hand out copies ({@link Versioned} records), so the flat entries are never shared.
 *
 * <p>Invariants: keys are compared by their full bytes (the hash only narrows the search); a key's
 * stored timestamp never decreases; a delete is a tombstone (kept until purged after the tombstone
 * grace period), so that an older write replayed or delivered late cannot resurrect the key; the
 * table is at most three-quarters full, and a removal shifts the following run back (no tombstone
 * slots). Not thread-safe: owned by the node's core thread.
 */
public final class Store {
    private static final int CAPACITY_MIN = 16;
    private static final int CAPACITY_MAX = 1 << 30;

    private byte[][] entries;
    private int[] hashes;
    private int mask;
    private int size;
    private int liveKeys;
    private long entryHeapBytes;
    private long changes;

    /** The outcome of {@link #apply}: whether the incoming version won, and what was there before. */
    public record Applied(boolean applied, Versioned previous) {
        /** The incoming version lost to a newer one already held: a detected concurrent write. */
        public boolean superseded() {
            return !applied;
        }

        public boolean previousWasLive() {
            return previous != null && !previous.isTombstone();
        }
    }

    public Store() {
        this(0);
    }

    /** A store sized for about {@code expectedEntries} without growing (replay knows roughly how many). */
    public Store(int expectedEntries) {
        allocate(capacityFor(Math.max(0, expectedEntries)));
    }

    /** The stored version (value or tombstone), or null when the key was never written. */
    public Versioned get(Key key) {
        int slot = find(key);
        return slot < 0 ? null : EntryLayout.version(entries[slot]);
    }

    /** The live value, or null when absent or deleted. */
    public byte[] getValue(Key key) {
        int slot = find(key);
        if (slot < 0) return null;
        byte[] entry = entries[slot];
        return EntryLayout.kind(entry) == Versioned.Kind.TOMBSTONE ? null : EntryLayout.value(entry);
    }

    /**
     * Applies a version if it is newer than what the key holds (last-writer-wins). An equal timestamp
     * is the same write delivered twice and is not applied again.
     */
    public Applied apply(Key key, Versioned incoming) {
        byte[] entry = EntryLayout.encode(key, incoming);
        int hash = spread(key.hashCode());
        int slot = locate(hash, entry);
        Versioned previous = entries[slot] == null ? null : EntryLayout.version(entries[slot]);
        return new Applied(put(slot, hash, entry), previous);
    }

    /**
     * {@link #apply} for op-log replay: the version is read in place from {@code source} (key at
     * {@code keyPosition}, value at {@code valuePosition}, absolute positions) and copied once, straight into
     * the key's flat entry, with no key, version or outcome object on the way. Same last-writer-wins rule.
     *
     * @return whether the version was applied (false: the key holds a version at least as new)
     */
    public boolean applyFrom(ByteBuffer source, int keyPosition, int keyLength, int valuePosition, int valueLength,
                             boolean tombstone, long lamport, int nodeId) {
        byte[] entry = EntryLayout.encode(source, keyPosition, keyLength, valuePosition, valueLength,
                tombstone ? Versioned.Kind.TOMBSTONE : Versioned.Kind.VALUE, lamport, nodeId);
        int hash = spread(EntryLayout.keyHash(entry));
        return put(locate(hash, entry), hash, entry);
    }

    /** The slot holding the key of {@code entry}, or the empty slot where it would go. */
    private int locate(int hash, byte[] entry) {
        int slot = hash & mask;
        for (byte[] held; (held = entries[slot]) != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && EntryLayout.sameKey(held, entry)) return slot;
        }
        return slot;
    }

    /** Stores {@code entry} at the slot {@link #locate} found, unless what is there is at least as new. */
    private boolean put(int slot, int hash, byte[] entry) {
        byte[] held = entries[slot];
        if (held != null) {
            if (!EntryLayout.isOlderThan(held, entry)) return false;
            replace(slot, entry);
            changes++;
            liveKeys += live(entry) - live(held);
            return true;
        }
        entries[slot] = entry;
        hashes[slot] = hash;
        entryHeapBytes += EntryLayout.heapBytes(entry);
        changes++;
        liveKeys += live(entry);
        if (++size > threshold()) grow();
        return true;
    }

    /**
     * Shrinks the table to the capacity its entries need when it is more than twice that: after a replay
     * that sized the store by a guess ({@link #Store(int)}) that was too high.
     */
    public void trim() {
        int needed = capacityFor(size);
        if (entries.length > 2 * needed) rehash(needed);
    }

    /** Removes a tombstone for good (after the grace period); a live value is never purged. */
    public boolean purgeTombstone(Key key, Versioned tombstone) {
        int slot = find(key);
        if (slot < 0) return false;
        byte[] entry = entries[slot];
        if (EntryLayout.kind(entry) != Versioned.Kind.TOMBSTONE || !EntryLayout.version(entry).equals(tombstone)) {
            return false;
        }
        remove(slot);
        changes++;
        return true;
    }

    /**
     * Forgets a key this node no longer replicates (its range moved to other nodes, which hold it):
     * unlike a delete, nothing is written, and the key's other replicas keep their versions.
     */
    public void drop(Key key) {
        int slot = find(key);
        if (slot < 0) return;
        byte[] entry = entries[slot];
        if (EntryLayout.kind(entry) != Versioned.Kind.TOMBSTONE) liveKeys--;
        remove(slot);
        changes++;
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
        return size;
    }

    /** Heap bytes the store holds: its entries' arrays and its table (what /metrics reports per key). */
    public long heapBytes() {
        return entryHeapBytes + 2L * (16 + 4L * entries.length);
    }

    /** Visits every entry (tombstones included) with a copy of its key and version. */
    public void forEach(BiConsumer<Key, Versioned> action) {
        byte[][] table = entries;
        for (byte[] entry : table) {
            if (entry != null) action.accept(EntryLayout.key(entry), EntryLayout.version(entry));
        }
    }

    private int find(Key key) {
        int hash = spread(key.hashCode());
        byte[] keyBytes = key.bytes();
        for (int slot = hash & mask; entries[slot] != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && EntryLayout.hasKey(entries[slot], keyBytes)) return slot;
        }
        return -1;
    }

    private void replace(int slot, byte[] entry) {
        entryHeapBytes += EntryLayout.heapBytes(entry) - EntryLayout.heapBytes(entries[slot]);
        entries[slot] = entry;
    }

    private void remove(int slot) {
        entryHeapBytes -= EntryLayout.heapBytes(entries[slot]);
        removeAt(slot);
        size--;
    }

    /** Linear-probing deletion: pulls back every later entry of the run that may sit at or before the hole. */
    private void removeAt(int hole) {
        int slot = hole;
        while (true) {
            slot = (slot + 1) & mask;
            if (entries[slot] == null) break;
            int home = hashes[slot] & mask;
            boolean movable = hole <= slot ? home <= hole || home > slot : home <= hole && home > slot;
            if (movable) {
                entries[hole] = entries[slot];
                hashes[hole] = hashes[slot];
                hole = slot;
            }
        }
        entries[hole] = null;
        hashes[hole] = 0;
    }

    private void grow() {
        if (entries.length == CAPACITY_MAX) throw new IllegalStateException("store is full: " + size + " entries");
        rehash(entries.length * 2);
    }

    private void rehash(int capacity) {
        byte[][] oldEntries = entries;
        int[] oldHashes = hashes;
        allocate(capacity);
        for (int i = 0; i < oldEntries.length; i++) {
            if (oldEntries[i] == null) continue;
            int slot = oldHashes[i] & mask;
            while (entries[slot] != null) slot = (slot + 1) & mask;
            entries[slot] = oldEntries[i];
            hashes[slot] = oldHashes[i];
        }
    }

    private void allocate(int capacity) {
        entries = new byte[capacity][];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    private int threshold() {
        return entries.length == CAPACITY_MAX ? CAPACITY_MAX - 1 : entries.length / 4 * 3;
    }

    private static int capacityFor(int expected) {
        long needed = Math.max(CAPACITY_MIN, (long) Math.ceil(expected / 0.75) + 1);
        return needed >= CAPACITY_MAX ? CAPACITY_MAX : Integer.highestOneBit((int) needed - 1) << 1;
    }

    /** Spreads Key's array hash (weak in its low bits for similar keys) over the whole int. */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int live(byte[] entry) {
        return EntryLayout.kind(entry) == Versioned.Kind.TOMBSTONE ? 0 : 1;
    }
}
