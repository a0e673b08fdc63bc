package memdb.store;

import java.nio.ByteBuffer;

/**
 * One segment of a {@link Store}'s hash table: an open-addressing table with linear probing of two
 * {@code int} arrays, each entry's address in the {@link Slabs} and its key hash (spread), so that a probe
 * compares ints and reads an entry's key only on a hash match.
 *
 * <p>Why segments: the store picks a segment by the hash's top bits ({@link Store#SEGMENT_BITS}) and each
 * segment grows alone, so a doubling rehashes a sixty-fourth of the keys (a fraction of a millisecond at a
 * million keys) instead of all of them at once on the core thread (18-21 ms at 786,432 keys, every request
 * waiting; Redis rehashes incrementally for the same reason). Within a segment the slot is the hash's low
 * bits, which the top bits do not overlap while a segment has at most {@link #CAPACITY_MAX} slots.
 *
 * <p>Invariants: at most three-quarters full (the store grows a segment past {@link #threshold()}); a
 * removal shifts the following run back (no tombstone slots); address 0 is an empty slot. Not thread-safe.
 */
final class TableSegment {
    static final int CAPACITY_MIN = 16;
    /** Slots of one segment at most: 64 of them hold 2^30, as the one table before them did. */
    static final int CAPACITY_MAX = 1 << 24;

    int[] addresses;
    int[] hashes;
    int mask;
    /** Entries (slots in use). */
    int size;

    TableSegment(int capacity) {
        allocate(capacity);
    }

    /** The slot holding {@code key}, or -1. */
    int find(Slabs slabs, int hash, byte[] key) {
        for (int slot = hash & mask, address; (address = addresses[slot]) != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && EntryLayout.hasKey(slabs.slab(address), Slabs.offset(address), key)) return slot;
        }
        return -1;
    }

    /** The slot holding the key of the entry staged at {@code staged[stagedOffset]}, or the empty slot where it would go. */
    int locate(Slabs slabs, int hash, ByteBuffer staged, int stagedOffset) {
        int slot = hash & mask;
        for (int held; (held = addresses[slot]) != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && EntryLayout.sameKey(slabs.slab(held), Slabs.offset(held), staged, stagedOffset)) {
                return slot;
            }
        }
        return slot;
    }

    /** The slot naming {@code address} (a live entry always has one). */
    int slotOf(int address, int hash) {
        for (int slot = hash & mask; addresses[slot] != 0; slot = (slot + 1) & mask) {
            if (addresses[slot] == address) return slot;
        }
        throw new IllegalStateException("live entry at " + Integer.toHexString(address) + " has no slot");
    }

    /** Puts a new entry into the empty slot {@link #locate} found; false when the segment is now too full (grow it). */
    boolean add(int slot, int address, int hash) {
        addresses[slot] = address;
        hashes[slot] = hash;
        return ++size <= threshold();
    }

    /** Linear-probing deletion: pulls back every later entry of the run that may sit at or before the hole. */
    void removeAt(int hole) {
        int slot = hole;
        while (true) {
            slot = (slot + 1) & mask;
            if (addresses[slot] == 0) break;
            int home = hashes[slot] & mask;
            boolean movable = hole <= slot ? home <= hole || home > slot : home <= hole && home > slot;
            if (movable) {
                addresses[hole] = addresses[slot];
                hashes[hole] = hashes[slot];
                hole = slot;
            }
        }
        addresses[hole] = 0;
        hashes[hole] = 0;
        size--;
    }

    /** Doubles the slots. */
    void grow() {
        if (addresses.length == CAPACITY_MAX) throw new IllegalStateException("store segment is full: " + size + " entries");
        rehash(addresses.length * 2);
    }

    /** Halves the slots while more than twice what the entries need (after a replay sized by too high a guess). */
    void trim() {
        int needed = capacityFor(size);
        if (addresses.length > 2 * needed) rehash(needed);
    }

    int capacity() {
        return addresses.length;
    }

    private void rehash(int capacity) {
        int[] oldAddresses = addresses;
        int[] oldHashes = hashes;
        allocate(capacity);
        for (int i = 0; i < oldAddresses.length; i++) {
            if (oldAddresses[i] == 0) continue;
            int slot = oldHashes[i] & mask;
            while (addresses[slot] != 0) slot = (slot + 1) & mask;
            addresses[slot] = oldAddresses[i];
            hashes[slot] = oldHashes[i];
        }
    }

    private void allocate(int capacity) {
        addresses = new int[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    private int threshold() {
        return addresses.length == CAPACITY_MAX ? CAPACITY_MAX - 1 : addresses.length / 4 * 3;
    }

    /** Slots for {@code expected} entries at most three-quarters full: a power of two in [CAPACITY_MIN, CAPACITY_MAX]. */
    static int capacityFor(int expected) {
        long needed = Math.max(CAPACITY_MIN, (long) Math.ceil(expected / 0.75) + 1);
        return needed >= CAPACITY_MAX ? CAPACITY_MAX : Integer.highestOneBit((int) needed - 1) << 1;
    }
}
