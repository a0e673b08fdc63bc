package memdb.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A connection's written, unanswered calls by request id: a table indexed by {@code requestId & mask}, with
 * the ids handed out by this table so that no two calls in it ever share a slot. Adding, finding and
 * removing are one array access each, whatever the number in flight.
 *
 * <p>Why not a hash map: request ids are sequential, so the ids in flight sit in one contiguous run of an
 * open-addressing map's slots, and removing from a linear-probing map (Netty's IntObjectHashMap) scans to
 * the end of that run: with 800 requests in flight on one connection, removal took 30% of the client's
 * event loop (docs/performance.md, "Session 5: native pipelining").
 *
 * <p>Invariants: a slot holds at most one call, and the call in slot {@code s} has {@code requestId & mask
 * == s}; ids are taken in increasing order (wrapping), skipping {@link #UNATTRIBUTED_REQUEST_ID} and ids
 * whose slot is taken; the table is at least twice as large as the number of calls in it (it doubles when
 * it would not be), so a free id is found in two tries on average. Owned by one thread (the event loop).
 */
final class InFlightCalls {
    /** Servers answer frames they could not attribute with this id (0xFFFFFFFF); it is never handed out. */
    static final int UNATTRIBUTED_REQUEST_ID = -1;
    private static final int INITIAL_SLOTS = 16;
    private static final int SLOTS_MAX = 1 << 30;

    private Call[] slots = new Call[INITIAL_SLOTS];
    private int size;
    private int nextRequestId;

    InFlightCalls() {
        this(0);
    }

    /** Hands out ids from {@code firstRequestId} on (tests start near the wrap-around). */
    InFlightCalls(int firstRequestId) {
        this.nextRequestId = firstRequestId;
    }

    /** Stores {@code call} under a fresh request id, marks it written with that id, and returns the id. */
    int add(Call call) {
        if (2 * (size + 1) > slots.length && slots.length < SLOTS_MAX) grow();
        int mask = slots.length - 1;
        int id;
        do {
            id = nextRequestId++;
        } while (id == UNATTRIBUTED_REQUEST_ID || slots[id & mask] != null);
        slots[id & mask] = call;
        size++;
        call.markWritten(id);
        return id;
    }

    /** Removes and returns the call with this request id, or null when none is in flight under it. */
    Call remove(int requestId) {
        int slot = requestId & (slots.length - 1);
        Call call = slots[slot];
        if (call == null || call.requestId() != requestId) return null;
        slots[slot] = null;
        size--;
        return call;
    }

    /** Removes {@code call} if it is in flight under {@code requestId}; true if it was. */
    boolean remove(int requestId, Call call) {
        int slot = requestId & (slots.length - 1);
        if (slots[slot] != call || call.requestId() != requestId) return false;
        slots[slot] = null;
        size--;
        return true;
    }

    int size() {
        return size;
    }

    /** Removes every call and returns them. */
    List<Call> removeAll() {
        List<Call> all = new ArrayList<>(size);
        for (int slot = 0; slot < slots.length && all.size() < size; slot++) {
            if (slots[slot] != null) all.add(slots[slot]);
        }
        Arrays.fill(slots, null);
        size = 0;
        return all;
    }

    /** Doubles the table; calls in different slots stay in different slots (the new mask has one more bit). */
    private void grow() {
        Call[] larger = new Call[slots.length * 2];
        int mask = larger.length - 1;
        for (Call call : slots) {
            if (call != null) larger[call.requestId() & mask] = call;
        }
        slots = larger;
    }
}
