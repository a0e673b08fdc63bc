package memdb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The slab store against a plain HashMap model, with slabs so small (2 to 8 KiB) that slabs are sealed,
 * compacted and released all the time: random histories of apply, applyFrom, purgeTombstone, drop and
 * trim over keys of 1 to 300 bytes, many of them with equal hash codes (built from "Aa" and "BB", which
 * hash alike), values of 0 bytes, a few bytes, the size already held (in-place overwrites), sizes around
 * the quarter-slab line between shared and dedicated slabs and around a whole slab, and larger than a
 * slab, with random Lamport orders. After every step the touched key, liveKeys and entries match the
 * model and the garbage is within its bound; every 64 steps every key is checked; at the end forEach.
 * Each seed prints itself; {@code -Dmemdb.store.seed=N} reruns seed N alone.
 */
class SlabStorePropertyTest {
    private static final int STEPS = 1200;

    static LongStream seeds() {
        String one = System.getProperty("memdb.store.seed");
        return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(1, 101);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void behavesLikeAMapAndKeepsItsGarbageBounded(long seed) {
        System.out.println("SlabStorePropertyTest seed " + seed + " (rerun: -Dmemdb.store.seed=" + seed + ")");
        Random random = new Random(seed);
        int slabBytes = 2048 << random.nextInt(3);
        // Up to 2,000 keys: enough for table segments to grow and shrink (trim), not only the slabs.
        List<Key> keys = keys(random, 2 + random.nextInt(random.nextBoolean() ? 10 : random.nextBoolean() ? 120 : 2000));
        Store store = new Store(random.nextInt(3) == 0 ? keys.size() : 0, slabBytes);
        Map<Key, Versioned> model = new HashMap<>();
        for (int step = 0; step < STEPS; step++) {
            String at = "seed " + seed + " step " + step;
            Key key = keys.get(random.nextInt(keys.size()));
            int action = random.nextInt(20);
            if (action < 14) {
                write(store, model, key, random, slabBytes, at);
            } else if (action < 17) {
                purge(store, model, key, random, at);
            } else if (action < 19) {
                store.drop(key);
                model.remove(key);
            } else {
                store.trim();
            }
            assertSame(store, model, key, at);
            assertTrue(store.garbageBytes() <= store.garbageBytesLimit() + slabBytes + slabBytes / 2,
                    at + ": garbage " + store.garbageBytes() + " above its limit " + store.garbageBytesLimit());
            if (step % 64 == 0) for (Key k : keys) assertSame(store, model, k, at);
        }
        Map<Key, Versioned> visited = new HashMap<>();
        store.forEach(visited::put);
        assertEquals(model, visited, "seed " + seed);
    }

    private static void write(Store store, Map<Key, Versioned> model, Key key, Random random, int slabBytes, String at) {
        Versioned held = model.get(key);
        Timestamp ts = new Timestamp(random.nextInt(200), 1 + random.nextInt(3));
        Versioned incoming = random.nextInt(5) == 0 ? Versioned.tombstone(ts)
                : Versioned.value(ts, value(random, key, held, slabBytes));
        boolean wins = held == null || ts.isAfter(held.timestamp());
        if (random.nextBoolean()) {
            Store.Applied applied = store.apply(key, incoming);
            assertEquals(wins, applied.applied(), at);
            assertEquals(held != null && !held.isTombstone(), applied.previousWasLive(), at);
            assertEquals(wins ? null : held.timestamp(), applied.heldTimestamp(), at);
        } else {
            assertEquals(wins, StoreTest.applyFrom(store, key, incoming, random), at);
        }
        if (wins) model.put(key, incoming);
    }

    private static void purge(Store store, Map<Key, Versioned> model, Key key, Random random, String at) {
        Versioned held = model.get(key);
        boolean purgeable = held != null && held.isTombstone();
        Versioned asked = purgeable && random.nextInt(4) != 0 ? held
                : Versioned.tombstone(new Timestamp(random.nextInt(200), 1 + random.nextInt(3)));
        boolean purged = purgeable && asked.equals(held);
        assertEquals(purged, store.purgeTombstone(key, asked), at);
        if (purged) model.remove(key);
    }

    private static void assertSame(Store store, Map<Key, Versioned> model, Key key, String at) {
        Versioned held = model.get(key);
        assertEquals(held, store.get(key), at + " key of " + key.length() + " bytes");
        assertArrayEquals(held == null || held.isTombstone() ? null : held.value(), store.getValue(key), at);
        assertEquals(model.size(), store.entries(), at);
        assertEquals(model.values().stream().filter(v -> !v.isTombstone()).count(), store.liveKeys(), at);
    }

    /** Keys of 1 to 300 bytes; about half are runs of "Aa"/"BB" blocks of a few lengths, so many share a hash code. */
    private static List<Key> keys(Random random, int count) {
        Map<Key, Boolean> keys = new HashMap<>();
        while (keys.size() < count) {
            if (random.nextBoolean()) {
                StringBuilder b = new StringBuilder();
                for (int i = 0, blocks = 1 + random.nextInt(3) * 50 + random.nextInt(2); i < blocks; i++) {
                    b.append(random.nextBoolean() ? "Aa" : "BB");
                }
                keys.put(Key.of(b.toString()), true);
            } else {
                byte[] bytes = new byte[1 + random.nextInt(300)];
                random.nextBytes(bytes);
                keys.put(Key.wrap(bytes), true);
            }
        }
        return new ArrayList<>(keys.keySet());
    }

    /** A value size that exercises a path of the store: empty, small, same as held, around a quarter slab or a slab, larger. */
    private static byte[] value(Random random, Key key, Versioned held, int slabBytes) {
        int fixed = EntryLayout.HEADER_BYTES + key.length();
        int jitter = random.nextInt(33) - 16;
        int length = switch (random.nextInt(7)) {
            case 0 -> 0;
            case 1, 2 -> 1 + random.nextInt(40);
            case 3 -> held == null ? random.nextInt(100) : held.value().length + (random.nextBoolean() ? 0 : random.nextInt(8) - 4);
            case 4 -> slabBytes / 4 - fixed + jitter;
            case 5 -> slabBytes - fixed + jitter;
            default -> slabBytes + random.nextInt(2 * slabBytes);
        };
        byte[] value = new byte[Math.max(0, length)];
        random.nextBytes(value);
        if (value.length > 0) value[0] = (byte) key.length();
        return value;
    }
}
