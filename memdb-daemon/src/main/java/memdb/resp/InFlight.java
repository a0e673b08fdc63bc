package memdb.resp;

/**
 * What one RESP connection has in flight at the core, by request id (RespHandler). The connection hands
 * out its ids itself, one after the other, so a ring from the oldest id still in flight to the newest
 * does what a map from id to entry would, without boxing or hashing per request: {@link #add} appends and
 * returns the entry's id, {@link #remove} takes an entry out by id in any order and drops the answered
 * ones at the oldest end. Ids wrap around with int arithmetic (an id's offset is {@code id - oldestId}).
 * Not thread-safe: one event loop owns it.
 */
final class InFlight<T> {
    private Object[] ring = new Object[16];
    private int head;
    /** Ids from oldestId to oldestId + count - 1 have a place in the ring (answered ones hold null). */
    private int count;
    private int oldestId;

    InFlight(int firstId) {
        this.oldestId = firstId;
    }

    /** Adds {@code entry} (not null) and returns its id: one above the previous one's. */
    int add(T entry) {
        if (entry == null) throw new NullPointerException("entry");
        if (count == ring.length) grow();
        ring[(head + count) & (ring.length - 1)] = entry;
        return oldestId + count++;
    }

    /** The entry with {@code id}, removed; null when there is none (never added, or removed already). */
    @SuppressWarnings("unchecked")
    T remove(int id) {
        int offset = id - oldestId;
        if (offset < 0 || offset >= count) return null;
        int mask = ring.length - 1;
        int index = (head + offset) & mask;
        T entry = (T) ring[index];
        ring[index] = null;
        while (count > 0 && ring[head] == null) {
            head = (head + 1) & mask;
            count--;
            oldestId++;
        }
        return entry;
    }

    /** Forgets every entry; ids go on from where they were. */
    void clear() {
        java.util.Arrays.fill(ring, null);
        oldestId += count;
        head = 0;
        count = 0;
    }

    /** Entries added and not removed (and answered ones behind an older one still in flight). */
    int span() {
        return count;
    }

    private void grow() {
        Object[] bigger = new Object[ring.length * 2];
        for (int i = 0; i < count; i++) bigger[i] = ring[(head + i) & (ring.length - 1)];
        ring = bigger;
        head = 0;
    }
}
