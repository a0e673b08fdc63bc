package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring of a RESP connection's requests in flight: a map by request id, checked against a HashMap. */
class InFlightTest {
    @Test
    void idsFollowEachOtherAndEntriesComeOutByIdInAnyOrder() {
        InFlight<String> inFlight = new InFlight<>(1);
        assertEquals(1, inFlight.add("a"));
        assertEquals(2, inFlight.add("b"));
        assertEquals(3, inFlight.add("c"));
        assertEquals("b", inFlight.remove(2));
        assertNull(inFlight.remove(2), "removed once");
        assertEquals(3, inFlight.span(), "b's place is kept while a, older, is in flight");
        assertEquals("a", inFlight.remove(1));
        assertEquals(1, inFlight.span(), "a and b dropped at the oldest end");
        assertNull(inFlight.remove(7), "never added");
        assertNull(inFlight.remove(0), "older than anything in flight");
        assertEquals(4, inFlight.add("d"));
        inFlight.clear();
        assertNull(inFlight.remove(3));
        assertEquals(5, inFlight.add("e"), "ids go on after a clear");
    }

    @Test
    void randomAddsAndRemovesAgreeWithAMapAcrossGrowthAndIdWrapAround() {
        Random random = new Random(8);
        InFlight<Integer> inFlight = new InFlight<>(Integer.MAX_VALUE - 500);
        Map<Integer, Integer> model = new HashMap<>();
        List<Integer> ids = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (ids.isEmpty() || random.nextInt(3) > 0 && ids.size() < 3000) {
                int id = inFlight.add(step);
                model.put(id, step);
                ids.add(id);
            } else {
                Collections.swap(ids, random.nextInt(ids.size()), ids.size() - 1);
                int id = ids.remove(ids.size() - 1);
                assertEquals(model.remove(id), inFlight.remove(id), "id " + id);
                assertNull(inFlight.remove(id));
            }
        }
        for (int id : ids) assertEquals(model.remove(id), inFlight.remove(id));
        assertEquals(0, inFlight.span());
    }
}
