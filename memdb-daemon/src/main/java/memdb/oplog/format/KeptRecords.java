package memdb.oplog.format;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * What a compaction keeps, in sequence order, without a record object per kept key until it is written: the
 * entries of a {@link NewestPerKey} table by reference, the few other records (counters, hints, acceptor
 * state) as they are. {@link #inSequenceOrder} sorts the (sequence, item) pairs in place (a heap sort of two
 * primitive arrays: no boxing, no recursion) and returns a list view whose {@code get} copies the record out
 * of the table when it is asked for, so the snapshot writer's records die young one by one instead of a
 * million of them living through the whole paced write (session 9).
 *
 * <p>Invariants: an item is a table reference (≥ 0) or {@code -(k + 1)} for the k-th other record; every
 * record's sequence is distinct (a log numbers its records), so the order is total.
 */
final class KeptRecords {
    private final NewestPerKey table;
    private long[] sequences;
    private long[] items;
    private int size;
    private final List<LogRecord> others = new ArrayList<>();

    KeptRecords(NewestPerKey table, int expected) {
        this.table = table;
        this.sequences = new long[Math.max(expected, 8)];
        this.items = new long[sequences.length];
    }

    /** Keeps the entry {@code ref} of the table, whose record has {@code sequence}. */
    void addEntry(long sequence, long ref) {
        add(sequence, ref);
    }

    void addRecord(LogRecord record) {
        others.add(record);
        add(record.sequence(), -others.size());
    }

    private void add(long sequence, long item) {
        if (size == sequences.length) {
            sequences = Arrays.copyOf(sequences, size * 2);
            items = Arrays.copyOf(items, size * 2);
        }
        sequences[size] = sequence;
        items[size] = item;
        size++;
    }

    /** The kept records by ascending sequence; the view reads the table, which must not change meanwhile. */
    List<LogRecord> inSequenceOrder() {
        sortBySequence(sequences, items, size);
        return new View();
    }

    private final class View extends AbstractList<LogRecord> implements RandomAccess {
        @Override
        public LogRecord get(int index) {
            java.util.Objects.checkIndex(index, size);
            long item = items[index];
            return item >= 0 ? table.toRecord(item) : others.get((int) (-item - 1));
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** Sorts {@code keys[0, n)} ascending, moving {@code values} along with them (heap sort). */
    static void sortBySequence(long[] keys, long[] values, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(keys, values, i, n);
        for (int end = n - 1; end > 0; end--) {
            swap(keys, values, 0, end);
            siftDown(keys, values, 0, end);
        }
    }

    private static void siftDown(long[] keys, long[] values, int i, int n) {
        while (true) {
            int largest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < n && keys[left] > keys[largest]) largest = left;
            if (right < n && keys[right] > keys[largest]) largest = right;
            if (largest == i) return;
            swap(keys, values, i, largest);
            i = largest;
        }
    }

    private static void swap(long[] keys, long[] values, int i, int j) {
        long k = keys[i];
        keys[i] = keys[j];
        keys[j] = k;
        long v = values[i];
        values[i] = values[j];
        values[j] = v;
    }
}
