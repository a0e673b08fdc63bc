package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import memdb.protocol.Requests;
import org.junit.jupiter.api.Test;

/** The in-flight table against a plain map of id to call, over random adds and removes (and the id rules). */
class InFlightCallsTest {
    private static Call call() {
        return new Call(new Requests.Ping());
    }

    @Test
    void behavesAsAMapOfIdToCallOverRandomOperations() {
        for (int seed = 0; seed < 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            InFlightCalls table = new InFlightCalls(random.nextBoolean() ? 0 : -3_000 + random.nextInt(6_000));
            Map<Integer, Call> model = new HashMap<>();
            List<Integer> ids = new ArrayList<>();
            int limit = 1 + random.nextInt(2_000);
            for (int step = 0; step < 5_000; step++) {
                int choice = random.nextInt(10);
                if (choice < 5 && model.size() < limit) {
                    Call call = call();
                    int id = table.add(call);
                    assertNotEquals(InFlightCalls.UNATTRIBUTED_REQUEST_ID, id, "seed " + seed);
                    assertTrue(call.written(), "seed " + seed);
                    assertEquals(id, call.requestId(), "seed " + seed);
                    assertNull(model.put(id, call), "id " + id + " handed out twice, seed " + seed);
                    ids.add(id);
                } else if (choice < 9 && !ids.isEmpty()) {
                    // answers arrive in any order, mostly the oldest first
                    int index = random.nextInt(4) == 0 ? random.nextInt(ids.size()) : 0;
                    int id = ids.remove(index);
                    assertSame(model.remove(id), table.remove(id), "seed " + seed);
                } else {
                    int id = random.nextInt(1 << 14) - (1 << 13); // an answer to an id that may not be in flight
                    if (!model.containsKey(id)) assertNull(table.remove(id), "seed " + seed);
                }
                assertEquals(model.size(), table.size(), "seed " + seed);
            }
            assertEquals(new HashSet<>(model.values()), new HashSet<>(table.removeAll()), "seed " + seed);
            assertEquals(0, table.size());
        }
    }

    @Test
    void anIdIsNotFoundOnceRemovedOrWhenAnotherIdSharesItsSlot() {
        InFlightCalls table = new InFlightCalls();
        Call first = call();
        int id = table.add(first);
        assertNull(table.remove(id + 16), "the same slot, another id");
        assertNull(table.remove(id + (1 << 20)), "the same slot in any table size, another id");
        assertFalse(table.remove(id, call()), "another call under the id");
        assertTrue(table.remove(id, first));
        assertFalse(table.remove(id, first));
        assertNull(table.remove(id));
    }

    @Test
    void idsWrapAroundSkippingTheUnattributedIdAndIdsStillInFlight() {
        InFlightCalls table = new InFlightCalls(-3);
        assertEquals(-3, table.add(call()));
        assertEquals(-2, table.add(call()));
        assertEquals(0, table.add(call()), "-1 means unattributed and is never used");
        assertEquals(1, table.add(call()));

        InFlightCalls slow = new InFlightCalls();
        Call stuck = call();
        int stuckId = slow.add(stuck);
        for (int i = 0; i < 100; i++) {
            int id = slow.add(call());
            assertNotEquals(stuckId & 15, id & 15, "the slot of a call still in flight is skipped");
            slow.remove(id);
        }
        assertSame(stuck, slow.remove(stuckId));
    }

    @Test
    void growingKeepsEveryCallFindable() {
        InFlightCalls table = new InFlightCalls();
        Map<Integer, Call> added = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Call call = call();
            added.put(table.add(call), call);
            if (i % 3 == 0) {
                int oldest = added.keySet().iterator().next();
                assertSame(added.remove(oldest), table.remove(oldest));
            }
        }
        for (Map.Entry<Integer, Call> entry : added.entrySet()) assertSame(entry.getValue(), table.remove(entry.getKey()));
        assertEquals(0, table.size());
    }
}
