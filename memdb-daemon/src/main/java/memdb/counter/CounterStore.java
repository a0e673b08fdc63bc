package memdb.counter;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import memdb.crdt.PnCounter;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Versioned;

/**
 * The counters of one node (DESIGN §6), beside the {@link memdb.store.Store} of plain values, and this
 * node's counter slot id. A key holds either a value or a counter; which one is decided by time: a counter
 * carries an epoch (ZERO, or the time of the delete it came after), a plain version (value or tombstone)
 * carries its timestamp, and the later one holds the key (a plain write newer than a counter's epoch
 * replaces it, as SET replaces any key in Redis; a counter state older than the key's plain version is
 * ignored, so that a deleted counter never comes back).
 *
 * <p>Invariants: a counter is kept only while its epoch is not older than the key's plain version; merges
 * are PN-counter joins, so applying the same states in any order and any number of times gives the same
 * counters (replay relies on it). A fresh slot id is drawn at every start (see {@link CounterReplica}).
 * Not thread-safe: owned by the core thread, or by replay before the core exists.
 */
public final class CounterStore {
    /** The reserved key of the slot-id record in the op log (never a counter or a value). */
    public static final Key SLOT_RECORD_KEY = Key.wrap(new byte[] {1});

    private final Map<Key, PnCounter> counters = new HashMap<>();
    private long slotId;
    private boolean hasSlotId;

    /** What a merge did: the key's counter afterwards (null: none), and whether the incoming one was too old. */
    public record Merged(PnCounter counter, boolean changed, boolean supersededByPlain) {}

    /** The key's counter, or null when it holds none. */
    public PnCounter get(Key key) {
        return counters.get(key);
    }

    /** Whether the key holds a counter with at least one slot (an empty counter gives a key no kind). */
    public boolean isCounter(Key key) {
        if (counters.isEmpty()) return false; // every plain read asks: no lookup while there are no counters
        PnCounter counter = counters.get(key);
        return counter != null && !counter.slots().isEmpty();
    }

    /** A plain version (value or tombstone) of {@code timestamp} was applied to the key: an older counter goes. */
    public void onPlainVersion(Key key, Timestamp timestamp) {
        if (counters.isEmpty()) return; // every plain write tells: no lookup while there are no counters
        PnCounter counter = counters.get(key);
        if (counter != null && timestamp.isAfter(counter.epoch())) counters.remove(key);
    }

    /**
     * Merges a counter state into the key's, unless the key's plain version ({@code plain}, may be null) is
     * newer than the state's epoch.
     */
    public Merged merge(Key key, PnCounter incoming, Versioned plain) {
        PnCounter current = counters.get(key);
        if (plain != null && plain.timestamp().isAfter(incoming.epoch())) return new Merged(current, false, true);
        PnCounter merged = current == null ? incoming : current.merge(incoming);
        if (merged.equals(current)) return new Merged(current, false, false);
        counters.put(key, merged);
        return new Merged(merged, true, false);
    }

    public int size() {
        return counters.size();
    }

    public void forEach(BiConsumer<Key, PnCounter> action) {
        counters.forEach(action);
    }

    public boolean hasSlotId() {
        return hasSlotId;
    }

    public long slotId() {
        if (!hasSlotId) throw new IllegalStateException("no counter slot id yet");
        return slotId;
    }

    public void slotId(long slotId) {
        this.slotId = slotId;
        this.hasSlotId = true;
    }

    /** The slot id as a slot record's value (8 bytes, big-endian). */
    public static byte[] slotIdBytes(long slotId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(slotId).array();
    }

    public static long slotIdOf(byte[] value) {
        if (value.length != Long.BYTES) throw new IllegalArgumentException("a slot record holds 8 bytes, not " + value.length);
        return ByteBuffer.wrap(value).getLong();
    }
}
