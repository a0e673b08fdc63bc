package memdb.oplog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * A seeded random history of sets, overwrites and deletes over a small key space, written by a few
 * nodes whose Lamport clocks interleave (so log order and timestamp order differ), plus the dumb
 * reference: the state a store reaches by applying every operation in order.
 */
final class History {
    final List<LogRecord> records = new ArrayList<>();

    /** {@code operations} records; keys from a space of {@code keys}; wall time advances 1 s per record. */
    static History random(long seed, int operations, int keys) {
        Random random = new Random(seed);
        History h = new History();
        long[] clocks = new long[4];
        long wall = 1_000_000;
        for (int i = 0; i < operations; i++) {
            int node = 1 + random.nextInt(3);
            clocks[node] = Math.max(clocks[node], clocks[random.nextInt(4)]) + 1 + random.nextInt(2);
            Timestamp ts = new Timestamp(clocks[node], node);
            Key key = Key.of("key-" + random.nextInt(keys));
            wall += 1000;
            if (random.nextInt(4) == 0) {
                h.records.add(LogRecord.delete(i + 1, ts, wall, key));
            } else {
                byte[] value = new byte[random.nextInt(40)];
                random.nextBytes(value);
                h.records.add(new LogRecord(i + 1, Op.SET, ts, wall, key, value));
            }
        }
        return h;
    }

    /** Appends every record through the port and commits once at the end. */
    void writeTo(OpLog log) {
        for (LogRecord r : records) log.append(r.op(), r.key(), r.timestamp(), r.value());
        log.commit(() -> {});
    }

    /** The reference state after applying the first {@code count} records. */
    Map<String, Versioned> expectedAfter(int count) {
        Store store = new Store();
        StoreReplay replay = new StoreReplay(store);
        records.subList(0, count).forEach(replay);
        return contents(store);
    }

    Map<String, Versioned> expected() {
        return expectedAfter(records.size());
    }

    static Map<String, Versioned> contents(Store store) {
        Map<String, Versioned> out = new TreeMap<>();
        store.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    /** Only the live values: what a client can read. */
    static Map<String, String> liveValues(Map<String, Versioned> state) {
        Map<String, String> out = new TreeMap<>();
        state.forEach((k, v) -> {
            if (!v.isTombstone()) out.put(k, new String(v.value(), StandardCharsets.ISO_8859_1) + "@" + v.timestamp());
        });
        return out;
    }

    long lamportHigh() {
        return records.stream().mapToLong(r -> r.timestamp().lamport()).max().orElse(0);
    }
}
