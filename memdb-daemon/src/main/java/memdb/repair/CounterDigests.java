package memdb.repair;

import java.util.ArrayList;
import java.util.List;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.protocol.Key;
import memdb.protocol.StateTransferMessages.CounterChunk;
import memdb.protocol.StateTransferMessages.CounterEntry;
import memdb.protocol.StateTransferMessages.CounterHash;
import memdb.ring.Ring;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The counters of a ring range for anti-entropy (docs/counters.md, "Anti-entropy"): a digest (how many,
 * and the sum of a 64-bit hash of each key's position and counter state, so equal sets of counters have
 * equal digests whatever the order they were made in) and chunks of the counters themselves in key order.
 * Counters are few next to keys, so each call scans the counter store rather than keeping an index.
 * Pure.
 */
final class CounterDigests {
    private static final XXHash64 HASH = XXHashFactory.fastestJavaInstance().hash64();
    private static final long SEED = 0x436F756E746572L;
    /** Bytes of counters per COUNTER_FETCH answer, about. */
    static final int CHUNK_BYTES_MAX = 256 * 1024;

    private CounterDigests() {}

    static CounterHash digest(CounterStore counters, long start, long end) {
        int[] count = {0};
        long[] sum = {0};
        counters.forEach((key, counter) -> {
            long position = Ring.position(key);
            if (!DigestIndex.contains(start, end, position)) return;
            count[0]++;
            sum[0] += hash(position, counter);
        });
        return new CounterHash(count[0], sum[0]);
    }

    static long hash(long position, PnCounter counter) {
        byte[] bytes = counter.toBytes();
        return HASH.hash(bytes, 0, bytes.length, SEED ^ position) * 0x9E3779B97F4A7C15L + position;
    }

    /** The counters of (start, end] whose keys sort after {@code after}, in key order, about {@link #CHUNK_BYTES_MAX}. */
    static CounterChunk fetch(CounterStore counters, long start, long end, Key after) {
        List<Key> keys = new ArrayList<>();
        counters.forEach((key, counter) -> {
            if (key.compareTo(after) > 0 && DigestIndex.contains(start, end, Ring.position(key))) keys.add(key);
        });
        keys.sort(null);
        List<CounterEntry> entries = new ArrayList<>();
        long bytes = 0;
        for (Key key : keys) {
            if (!entries.isEmpty() && (bytes >= CHUNK_BYTES_MAX || entries.size() == memdb.protocol.StateTransferMessages.ITEMS_MAX)) break;
            PnCounter counter = counters.get(key);
            entries.add(new CounterEntry(key, counter));
            bytes += key.length() + 16 + 40L * counter.slots().size();
        }
        return new CounterChunk(entries, entries.size() < keys.size());
    }

    /** The counters of (start, end] here, by key. */
    static java.util.Map<Key, PnCounter> all(CounterStore counters, long start, long end) {
        java.util.Map<Key, PnCounter> all = new java.util.TreeMap<>();
        counters.forEach((key, counter) -> {
            if (DigestIndex.contains(start, end, Ring.position(key))) all.put(key, counter);
        });
        return all;
    }
}
