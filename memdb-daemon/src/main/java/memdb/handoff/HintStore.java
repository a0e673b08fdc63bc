package memdb.handoff;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The hints a coordinator holds, per peer and key, oldest first. Pure data, no I/O: {@link HintedHandoff}
 * logs what changes here.
 *
 * <p>Invariants: at most one hint per (peer, key), the newest version offered (an older one never
 * replaces it: last-writer-wins would discard it at the replica anyway); at most {@code maxPerPeer} hints
 * per peer (a new key past that is refused, never an old hint evicted); within a peer, hints are in the
 * order they were stored, so the oldest expire first and are replayed first; {@code bytes} is the sum of
 * the held hints' {@link #heapBytes(Hint)}.
 */
public final class HintStore {
    /** What {@link #add} did. */
    public enum Added { NEW, REPLACED_OLDER, HELD_NEWER, FULL }

    private final int maxPerPeer;
    private final Map<Integer, LinkedHashMap<Key, Hint>> byPeer = new TreeMap<>();
    private int size;
    private long bytes;

    public HintStore(int maxPerPeer) {
        if (maxPerPeer < 0) throw new IllegalArgumentException("max hints per peer must be >= 0");
        this.maxPerPeer = maxPerPeer;
    }

    public Added add(Hint hint) {
        LinkedHashMap<Key, Hint> hints = byPeer.get(hint.peer());
        Hint held = hints == null ? null : hints.get(hint.key());
        if (held != null) {
            if (!hint.version().timestamp().isAfter(held.version().timestamp())) return Added.HELD_NEWER;
            hints.remove(hint.key()); // re-inserted at the end: its age starts again
            hints.put(hint.key(), hint);
            bytes += heapBytes(hint) - heapBytes(held);
            return Added.REPLACED_OLDER;
        }
        if (hints != null ? hints.size() >= maxPerPeer : maxPerPeer == 0) return Added.FULL;
        byPeer.computeIfAbsent(hint.peer(), p -> new LinkedHashMap<>()).put(hint.key(), hint);
        size++;
        bytes += heapBytes(hint);
        return Added.NEW;
    }

    /** Removes the hint of (peer, key) if it is still the version of {@code timestamp}; returns it, or null. */
    public Hint remove(int peer, Key key, Timestamp timestamp) {
        LinkedHashMap<Key, Hint> hints = byPeer.get(peer);
        Hint held = hints == null ? null : hints.get(key);
        if (held == null || !held.version().timestamp().equals(timestamp)) return null;
        hints.remove(key);
        size--;
        bytes -= heapBytes(held);
        if (hints.isEmpty()) byPeer.remove(peer);
        return held;
    }

    /** Up to {@code max} of the peer's hints, oldest first. */
    public List<Hint> oldest(int peer, int max) {
        List<Hint> oldest = new ArrayList<>(Math.min(max, size(peer)));
        LinkedHashMap<Key, Hint> hints = byPeer.get(peer);
        if (hints == null) return oldest;
        Iterator<Hint> it = hints.values().iterator();
        while (it.hasNext() && oldest.size() < max) oldest.add(it.next());
        return oldest;
    }

    /** Every hint stored at or before {@code storedAtOrBeforeMs}, peer by peer, oldest first (not removed). */
    public List<Hint> storedAtOrBefore(long storedAtOrBeforeMs) {
        List<Hint> old = new ArrayList<>();
        for (LinkedHashMap<Key, Hint> hints : byPeer.values()) {
            for (Hint hint : hints.values()) {
                if (hint.storedMs() > storedAtOrBeforeMs) break;
                old.add(hint);
            }
        }
        return old;
    }

    /** The peers that have hints, ascending. */
    public Set<Integer> peers() {
        return byPeer.keySet();
    }

    public int size(int peer) {
        LinkedHashMap<Key, Hint> hints = byPeer.get(peer);
        return hints == null ? 0 : hints.size();
    }

    public int size() {
        return size;
    }

    /** Roughly the heap the held hints take (the max-memory accounting, memdb.limits). */
    public long heapBytes() {
        return bytes;
    }

    /** A hint's key and value plus its objects and map entry (about 160 bytes on a 64-bit JVM). */
    static long heapBytes(Hint hint) {
        return hint.bytes() + 160L;
    }
}
