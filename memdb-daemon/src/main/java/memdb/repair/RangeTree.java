package memdb.repair;

import memdb.protocol.Key;
import memdb.protocol.RepairMessages;
import memdb.protocol.Timestamp;
import memdb.ring.Ring;
import memdb.store.Versioned;

/**
 * The Merkle tree of one replica's entries in one ring range (Dynamo §4.7, Cassandra's repair): a fixed
 * shape of {@link RepairMessages#FANOUT} children per node and {@link RepairMessages#LEVELS} levels, so
 * two replicas can compare trees node by node without agreeing on anything but the range. An entry
 * falls in the leaf named by the low bits of its key's ring position and adds the hash of
 * (key, timestamp, kind) to it; an inner node's hash is the sum of its children's.
 *
 * <p>Invariants: the hash of a set of entries does not depend on the order they were added (sums
 * commute), so identical stores give identical trees; a single differing entry changes exactly one leaf
 * and its ancestors, so it is found by descending {@code LEVELS} times.
 */
public final class RangeTree {
    private final long[] leaves = new long[RepairMessages.LEAVES];

    /** The leaf of a ring position. Positions are xxHash64 outputs, so their low bits are uniform. */
    public static int leafOf(long position) {
        return (int) (position & (RepairMessages.LEAVES - 1));
    }

    /** What one version contributes: a 64-bit mix of the key's position, the timestamp and the kind. */
    public static long entryHash(Key key, Versioned version) {
        return entryHash(Ring.position(key), version.timestamp(), version.isTombstone());
    }

    static long entryHash(long position, Timestamp timestamp, boolean tombstone) {
        long h = mix(position);
        h = mix(h ^ timestamp.lamport());
        return mix(h ^ ((long) timestamp.nodeId() << 1 | (tombstone ? 1 : 0)));
    }

    /** splitmix64's finaliser: every input bit flips about half the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public void add(Key key, Versioned version) {
        long position = Ring.position(key);
        leaves[leafOf(position)] += entryHash(position, version.timestamp(), version.isTombstone());
    }

    /** Takes back what {@link #add} of the same version added (the key moved on to a newer one). */
    public void remove(Key key, Versioned version) {
        long position = Ring.position(key);
        leaves[leafOf(position)] -= entryHash(position, version.timestamp(), version.isTombstone());
    }

    /** The hash of node {@code index} at {@code level} (0 = the root, LEVELS = the leaves). */
    public long hash(int level, int index) {
        int span = RepairMessages.width(RepairMessages.LEVELS - level);
        long sum = 0;
        for (int leaf = index * span; leaf < (index + 1) * span; leaf++) sum += leaves[leaf];
        return sum;
    }

    /** The hashes of the FANOUT children of node {@code index} at {@code level}. */
    public long[] children(int level, int index) {
        long[] hashes = new long[RepairMessages.FANOUT];
        for (int child = 0; child < hashes.length; child++) hashes[child] = hash(level + 1, index * RepairMessages.FANOUT + child);
        return hashes;
    }

    public boolean sameAs(RangeTree other) {
        return java.util.Arrays.equals(leaves, other.leaves);
    }
}
