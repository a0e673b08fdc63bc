package memdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --warmup auto|N}: parsing, and the bound of an automatic warm-up's requests. */
class WarmupTest {
    @Test
    void parsesAutoAndCounts() {
        assertEquals(Warmup.AUTO, Warmup.parse("auto"));
        assertEquals(Warmup.AUTO, Warmup.parse(" AUTO "));
        assertEquals(Warmup.ofRequests(20_000), Warmup.parse("20000"));
        assertTrue(Warmup.parse("0").isNone());
        assertEquals("auto", Warmup.AUTO.toString());
        assertEquals("500", Warmup.ofRequests(500).toString());
        for (String bad : new String[] {"-1", "soon", "", "1000000001"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Warmup.parse(bad));
            assertTrue(e.getMessage().startsWith("--warmup must be auto or between 0 and"), e.getMessage());
        }
        // Out of range (the record's check) and not a number (parse's) say the same thing.
        assertEquals(
                assertThrows(IllegalArgumentException.class, () -> Warmup.parse("soon")).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> Warmup.ofRequests(-1)).getMessage());
    }

    @Test
    void anAutomaticWarmupSendsAtMostTenTimesTheMeasuredRequests() {
        assertEquals(2_000_000, Warmup.AUTO.requestCap(200_000));
        assertEquals(10, Warmup.AUTO.requestCap(1));
        assertEquals(BenchPlan.REQUESTS_MAX, Warmup.AUTO.requestCap(BenchPlan.REQUESTS_MAX));
        assertEquals(500, Warmup.ofRequests(500).requestCap(200_000));
    }
}
