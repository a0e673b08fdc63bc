package memdb.oplog.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The compactor's pair sort: sequences ascending, each item still beside its own sequence (seeded). */
class KeptRecordsTest {
    static long[] seeds() {
        return new SplittableRandom(20261127).longs(40).toArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sortsPairsBySequence(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = random.nextInt(0, 2_000);
        long[] sequences = new long[n + 3]; // slack past n must stay untouched
        long[] items = new long[n + 3];
        Map<Long, Long> itemOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long sequence;
            do {
                sequence = random.nextBoolean() ? random.nextLong(1, 4 * n + 2) : random.nextLong(1, Long.MAX_VALUE);
            } while (itemOf.containsKey(sequence)); // a log's sequences are distinct
            sequences[i] = sequence;
            items[i] = random.nextLong(-1_000, Long.MAX_VALUE);
            itemOf.put(sequence, items[i]);
        }
        sequences[n] = sequences[n + 1] = sequences[n + 2] = -7;
        long[] expected = Arrays.copyOf(sequences, n);
        Arrays.sort(expected);

        KeptRecords.sortBySequence(sequences, items, n);

        assertArrayEquals(expected, Arrays.copyOf(sequences, n), "seed " + seed);
        for (int i = 0; i < n; i++) assertEquals(itemOf.get(sequences[i]), items[i], "item moved with its sequence, seed " + seed);
        assertEquals(-7, sequences[n + 2], "nothing past n touched, seed " + seed);
    }
}
