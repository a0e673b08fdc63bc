package memdb.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import memdb.protocol.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingTest {
    private static List<Integer> nodes(int count) {
        return IntStream.rangeClosed(1, count).boxed().toList();
    }

    @Test
    void preferenceListsHaveNDistinctNodesCappedByClusterSize() {
        Ring ring = Ring.of(nodes(5), Ring.VNODES_DEFAULT);
        for (int i = 0; i < 2000; i++) {
            Key key = Key.of("key-" + i);
            List<Integer> list = ring.preferenceList(key, 3);
            assertEquals(3, list.size());
            assertEquals(3, new HashSet<>(list).size());
        }
        assertEquals(2, Ring.of(nodes(2), 16).preferenceList(Key.of("k"), 3).size());
        assertEquals(0, Ring.of(List.of(), 16).preferenceList(Key.of("k"), 3).size());
    }

    /** A ring of one node answers without hashing the key: the same list as the walk from the key's position. */
    @Test
    void aOneNodeRingGivesEveryKeyThatNodeAsTheWalkDoes() {
        Ring ring = Ring.of(List.of(7), 16);
        for (int i = 0; i < 200; i++) {
            Key key = Key.of("k" + i);
            for (int n = 0; n <= 3; n++) assertEquals(ring.preferenceListAt(Ring.position(key), n), ring.preferenceList(key, n));
            assertEquals(List.of(7), ring.preferenceList(key, 3));
        }
        assertEquals(List.of(), ring.preferenceList(Key.of("k"), 0));
    }

    @Test
    void theRingDependsOnlyOnMembershipNotOnOrder() {
        Ring a = Ring.of(List.of(3, 1, 2), 64);
        Ring b = Ring.of(List.of(1, 2, 3), 64);
        for (int i = 0; i < 1000; i++) {
            Key key = Key.of("k" + i);
            assertEquals(a.preferenceList(key, 2), b.preferenceList(key, 2));
        }
    }

    /** Against a deliberately dumb reference: walk every token in order from the key's position. */
    @Test
    void matchesANaiveReferenceOverRandomKeys() {
        long seed = 20261126L;
        Random random = new Random(seed);
        Ring ring = Ring.of(nodes(7), 8);
        List<long[]> points = new ArrayList<>();
        for (int node : ring.nodes()) for (int v = 0; v < 8; v++) points.add(new long[] {Ring.token(node, v), node});
        points.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(20)];
            random.nextBytes(bytes);
            Key key = Key.wrap(bytes);
            long position = Ring.position(key);
            List<Integer> expected = new ArrayList<>();
            int start = 0;
            while (start < points.size() && points.get(start)[0] < position) start++;
            // Mostly N = 3, sometimes another N: the ring keeps the lists of one N, and must not mix them up.
            int replicationFactor = random.nextInt(4) == 0 ? 1 + random.nextInt(8) : 3;
            for (int s = 0; s < points.size() && expected.size() < replicationFactor; s++) {
                int owner = (int) points.get((start + s) % points.size())[1];
                if (!expected.contains(owner)) expected.add(owner);
            }
            assertEquals(expected, ring.preferenceList(key, replicationFactor), "seed " + seed + " case " + i);
        }
    }

    /** Preference lists are shared between the keys of a range, so nobody may change one. */
    @Test
    void preferenceListsAreUnmodifiable() {
        Ring ring = Ring.of(nodes(3), 8);
        List<Integer> list = ring.preferenceList(Key.of("k"), 2);
        assertThrows(UnsupportedOperationException.class, () -> list.add(9));
        assertEquals(list, ring.preferenceList(Key.of("k"), 2));
        assertThrows(UnsupportedOperationException.class, () -> Ring.of(List.of(), 8).preferenceList(Key.of("k"), 2).add(1));
    }

    /** Ownership spread with 128 vnodes: every node within 25% of the fair share (printed for the record). */
    @ParameterizedTest
    @ValueSource(ints = {3, 5, 10})
    void ownershipIsEven(int nodeCount) {
        Ring ring = Ring.of(nodes(nodeCount), Ring.VNODES_DEFAULT);
        int replicationFactor = Math.min(3, nodeCount);
        Map<Integer, Double> shares = ring.ownership(replicationFactor);
        double fair = (double) replicationFactor / nodeCount;
        double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(replicationFactor, total, 1e-6);
        double min = shares.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = shares.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("ring %d nodes, N=%d: replica share min %.4f max %.4f fair %.4f (spread %.1f%%)%n",
                nodeCount, replicationFactor, min, max, fair, 100 * (max - min) / fair);
        assertTrue(min > fair * 0.75 && max < fair * 1.25, "uneven: " + shares);
        // Primary ownership too, by sampling keys.
        int[] primaries = new int[nodeCount + 1];
        for (int i = 0; i < 100_000; i++) primaries[ring.preferenceList(Key.of("key:" + i), 1).get(0)]++;
        for (int node = 1; node <= nodeCount; node++) {
            double share = primaries[node] / 100_000.0;
            assertTrue(Math.abs(share - 1.0 / nodeCount) < 0.25 / nodeCount, "node " + node + " primary share " + share);
        }
    }

    @Test
    void addingANodeMovesOnlyAboutItsShare() {
        Ring before = Ring.of(nodes(4), Ring.VNODES_DEFAULT);
        Ring after = Ring.of(nodes(5), Ring.VNODES_DEFAULT);
        int moved = 0;
        int keys = 20_000;
        for (int i = 0; i < keys; i++) {
            Key key = Key.of("key:" + i);
            if (!before.preferenceList(key, 1).equals(after.preferenceList(key, 1))) moved++;
        }
        double fraction = (double) moved / keys;
        assertTrue(fraction > 0.12 && fraction < 0.28, "moved " + fraction + " of the keys, expected about 1/5");
    }
}
