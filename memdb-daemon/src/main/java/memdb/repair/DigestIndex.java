package memdb.repair;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import memdb.protocol.Key;
import memdb.ring.Ring;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * One pass over the store that files every entry under its ring range: for each range this node is a
 * replica of, its {@link RangeTree} and its keys. Built at the start of a repair round (and, for
 * answering peers, when the last one is older than a bound), so the core thread pays O(entries) once
 * per round rather than once per range.
 *
 * <p>Invariants: a snapshot: entries written after {@link #build} are not in it (the next round sees
 * them); a range is named by its interval (start, end], which is how peers ask for it.
 */
public final class DigestIndex {
    /** A range's interval, tree and keys. */
    public record RangeData(long start, long end, RangeTree tree, List<Key> keys) {}

    private final java.util.TreeMap<Long, RangeData> byEnd;
    private final long builtAtMs;
    private final long ringVersion;
    private long storeChanges;

    private DigestIndex(java.util.TreeMap<Long, RangeData> byEnd, long builtAtMs, long ringVersion, long storeChanges) {
        this.byEnd = byEnd;
        this.builtAtMs = builtAtMs;
        this.ringVersion = ringVersion;
        this.storeChanges = storeChanges;
    }

    /** The ranges of {@code ring} whose preference list (N = replicationFactor) holds {@code self}. */
    public static DigestIndex build(Store store, Ring ring, long ringVersion, int self, int replicationFactor, long nowMs) {
        int count = ring.tokenCount();
        RangeData[] ranges = new RangeData[count];
        java.util.TreeMap<Long, RangeData> byEnd = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            if (!ring.preferenceListAt(ring.tokenAt(i), replicationFactor).contains(self)) continue;
            ranges[i] = new RangeData(ring.tokenAt((i + count - 1) % count), ring.tokenAt(i), new RangeTree(), new ArrayList<>());
            byEnd.put(ranges[i].end(), ranges[i]);
        }
        if (count > 0) {
            store.forEach((key, version) -> {
                RangeData range = ranges[ring.rangeIndexOf(Ring.position(key))];
                if (range == null) return;
                range.tree().add(key, version);
                range.keys().add(key);
            });
        }
        return new DigestIndex(byEnd, nowMs, ringVersion, store.changes());
    }

    /** The range (start, end] when this index has it, else one scanned from the store now. */
    public RangeData range(Store store, long start, long end) {
        RangeData known = byEnd.get(end);
        if (known != null && known.start() == start) return known;
        return scan(store, start, end);
    }

    /** A range the peers' rings name but ours does not (rings briefly disagree): a full scan. */
    static RangeData scan(Store store, long start, long end) {
        RangeData range = new RangeData(start, end, new RangeTree(), new ArrayList<>());
        store.forEach((key, version) -> {
            if (!contains(start, end, Ring.position(key))) return;
            range.tree().add(key, version);
            range.keys().add(key);
        });
        return range;
    }

    /** Whether (start, end] holds {@code position}, wrapping; start == end is the whole ring. */
    static boolean contains(long start, long end, long position) {
        if (start == end) return true;
        if (start < end) return position > start && position <= end;
        return position > start || position <= end;
    }

    /** The ranges this node replicates, in ring order of their end token. */
    public List<RangeData> ranges() {
        List<RangeData> list = new ArrayList<>(byEnd.values());
        list.sort((a, b) -> Long.compare(a.end(), b.end()));
        return list;
    }

    public long builtAtMs() {
        return builtAtMs;
    }

    public long ringVersion() {
        return ringVersion;
    }

    /** Whether the store changed since the build, other than by {@link #applied}. */
    public boolean stale(Store store) {
        return store.changes() != storeChanges;
    }

    /**
     * Keeps the index exact across a change repair itself made ({@code previous} null: a new key), so that
     * what this node serves right after a round or a push reflects it without another pass over the store.
     */
    public void applied(Store store, Key key, Versioned previous, Versioned incoming) {
        storeChanges = store.changes();
        long position = Ring.position(key);
        Map.Entry<Long, RangeData> at = byEnd.ceilingEntry(position);
        if (at == null) at = byEnd.firstEntry();
        if (at == null || !contains(at.getValue().start(), at.getValue().end(), position)) return;
        RangeData range = at.getValue();
        if (previous != null) range.tree().remove(key, previous);
        else range.keys().add(key);
        range.tree().add(key, incoming);
    }

    /** The current versions of the range's keys that fall in {@code leaves}. */
    static Map<Key, Versioned> entriesIn(Store store, RangeData range, java.util.Set<Integer> leaves) {
        Map<Key, Versioned> entries = new java.util.LinkedHashMap<>();
        for (Key key : range.keys()) {
            if (!leaves.contains(RangeTree.leafOf(Ring.position(key)))) continue;
            Versioned version = store.get(key);
            if (version != null) entries.put(key, version);
        }
        return entries;
    }
}
