package memdb.store;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import memdb.protocol.Key;

/**
 * The in-memory data of one node: the newest version of each key, last-writer-wins by timestamp.
 *
 * <p>Invariants: keys are compared by their full bytes; a key's stored timestamp never decreases; a
 * delete is a tombstone (kept until purged after the tombstone grace period), so that an older write
 * replayed or delivered late cannot resurrect the key. Not thread-safe: owned by the node's core thread.
 */
public final class Store {
    private final Map<Key, Versioned> entries = new HashMap<>();
    private int liveKeys;
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

    /** The stored version (value or tombstone), or null when the key was never written. */
    public Versioned get(Key key) {
        return entries.get(key);
    }

    /** The live value, or null when absent or deleted. */
    public byte[] getValue(Key key) {
        Versioned v = entries.get(key);
        return v == null || v.isTombstone() ? null : v.value();
    }

    /**
     * Applies a version if it is newer than what the key holds (last-writer-wins). An equal timestamp
     * is the same write delivered twice and is not applied again.
     */
    public Applied apply(Key key, Versioned incoming) {
        Versioned previous = entries.get(key);
        if (previous != null && !incoming.timestamp().isAfter(previous.timestamp())) {
            return new Applied(false, previous);
        }
        entries.put(key, incoming);
        changes++;
        liveKeys += (incoming.isTombstone() ? 0 : 1) - (previous == null || previous.isTombstone() ? 0 : 1);
        return new Applied(true, previous);
    }

    /** Removes a tombstone for good (after the grace period); a live value is never purged. */
    public boolean purgeTombstone(Key key, Versioned tombstone) {
        Versioned current = entries.get(key);
        if (current == null || !current.isTombstone() || !current.equals(tombstone)) return false;
        entries.remove(key);
        changes++;
        return true;
    }

    /** Grows with every change (applied version or purge): lets a reader tell whether a snapshot is stale. */
    public long changes() {
        return changes;
    }

    /** Keys holding a live value. */
    public int liveKeys() {
        return liveKeys;
    }

    /** Entries including tombstones. */
    public int entries() {
        return entries.size();
    }

    public void forEach(BiConsumer<Key, Versioned> action) {
        entries.forEach(action);
    }
}
