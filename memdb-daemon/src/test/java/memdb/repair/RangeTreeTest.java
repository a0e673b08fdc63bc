package memdb.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import memdb.protocol.Key;
import memdb.protocol.RepairMessages;
import memdb.protocol.Timestamp;
import memdb.ring.Ring;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

class RangeTreeTest {
    private record Item(Key key, Versioned version) {}

    private static List<Item> randomItems(Random random, int count) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Timestamp ts = new Timestamp(1 + random.nextInt(1000), 1 + random.nextInt(5));
            items.add(new Item(Key.of("key" + i), random.nextInt(4) == 0 ? Versioned.tombstone(ts)
                    : Versioned.value(ts, new byte[] {(byte) i})));
        }
        return items;
    }

    private static RangeTree tree(List<Item> items) {
        RangeTree tree = new RangeTree();
        for (Item item : items) tree.add(item.key(), item.version());
        return tree;
    }

    @Test
    void theSameEntriesInAnyOrderGiveTheSameTree() {
        for (long seed = 1; seed <= 50; seed++) {
            Random random = new Random(seed);
            List<Item> items = randomItems(random, random.nextInt(500));
            List<Item> shuffled = new ArrayList<>(items);
            Collections.shuffle(shuffled, random);
            RangeTree a = tree(items);
            RangeTree b = tree(shuffled);
            assertTrue(a.sameAs(b), "seed " + seed);
            assertEquals(a.hash(0, 0), b.hash(0, 0), "seed " + seed);
        }
    }

    /** One entry changed (newer timestamp, tombstone instead of value, or missing) changes exactly one leaf and its parents. */
    @Test
    void oneDifferingEntryChangesOneLeafAndItsAncestors() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            List<Item> items = randomItems(random, 1 + random.nextInt(300));
            List<Item> changed = new ArrayList<>(items);
            int victim = random.nextInt(items.size());
            Item old = items.get(victim);
            switch (random.nextInt(3)) {
                case 0 -> changed.set(victim, new Item(old.key(), Versioned.value(
                        new Timestamp(old.version().timestamp().lamport() + 1, 1), new byte[0])));
                case 1 -> changed.set(victim, new Item(old.key(), old.version().isTombstone()
                        ? Versioned.value(old.version().timestamp(), new byte[0]) : Versioned.tombstone(old.version().timestamp())));
                default -> changed.remove(victim);
            }
            RangeTree a = tree(items);
            RangeTree b = tree(changed);
            int leaf = RangeTree.leafOf(Ring.position(old.key()));
            assertNotEquals(a.hash(0, 0), b.hash(0, 0), "seed " + seed);
            assertNotEquals(a.hash(1, leaf / RepairMessages.FANOUT), b.hash(1, leaf / RepairMessages.FANOUT), "seed " + seed);
            for (int l = 0; l < RepairMessages.LEAVES; l++) {
                assertEquals(l == leaf, a.hash(2, l) != b.hash(2, l), "seed " + seed + " leaf " + l);
            }
            assertFalse(a.sameAs(b));
        }
    }

    @Test
    void childrenSumToTheirParent() {
        RangeTree tree = tree(randomItems(new Random(3), 400));
        long sum = 0;
        for (long h : tree.children(0, 0)) sum += h;
        assertEquals(tree.hash(0, 0), sum);
        long leaves = 0;
        for (long h : tree.children(1, 5)) leaves += h;
        assertEquals(tree.hash(1, 5), leaves);
    }

    @Test
    void aRangeHoldsPositionsAfterItsStartUpToItsEnd() {
        assertTrue(DigestIndex.contains(10, 20, 20));
        assertFalse(DigestIndex.contains(10, 20, 10));
        assertTrue(DigestIndex.contains(20, 10, Long.MAX_VALUE)); // wraps
        assertTrue(DigestIndex.contains(20, 10, 5));
        assertFalse(DigestIndex.contains(20, 10, 15));
        assertTrue(DigestIndex.contains(7, 7, 123)); // a one-token ring: everything
    }
}
