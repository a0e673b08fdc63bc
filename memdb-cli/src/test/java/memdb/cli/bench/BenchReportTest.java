package memdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.Test;

/** The shapes of the bench report: text table, CSV and JSON. */
class BenchReportTest {
    private static final BenchPlan PLAN = new BenchPlan(List.of(BenchTest.SET, BenchTest.GET), 2000, 4, 2, 16, 0,
            Consistency.QUORUM, 1, Warmup.AUTO, Duration.ofSeconds(30), Duration.ofSeconds(5));
    private static final List<String> SEEDS = List.of("127.0.0.1:10000", "127.0.0.1:10001");
    private static final TestResult SET = new TestResult("set", 2000, 0, 0.5, 0.1234, 1.5, 2.25, 9.8765, true)
            .withWarmup(new Warmup.Done(812_345, 2.1234, Warmup.End.JIT_SETTLED));
    private static final TestResult GET = new TestResult("get", 1500, 3, 0.25, 0.1, 0.2, 0.3, 0.4, false);

    @Test
    void csvHasAHeaderAndOneRowPerTestWithDotDecimals() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertEquals("test,requests,errors,seconds,ops_per_sec,p50_ms,p99_ms,p999_ms,max_ms,complete,"
                    + "warmup_requests,warmup_seconds,warmup_end", BenchReport.CSV_HEADER);
            assertEquals("set,2000,0,0.500,4000.0,0.123,1.500,2.250,9.877,true,812345,2.123,jit-settled", BenchReport.csvRow(SET));
            assertEquals("get,1500,3,0.250,6000.0,0.100,0.200,0.300,0.400,false,0,0.000,none", BenchReport.csvRow(GET));
            assertEquals(BenchReport.CSV_HEADER.split(",").length, BenchReport.csvRow(SET).split(",").length);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void jsonHasTheConfigAndEveryTest() throws Exception {
        JsonNode root = new ObjectMapper().readTree(BenchReport.json(PLAN, SEEDS, List.of(SET, GET)));
        JsonNode config = root.get("config");
        assertEquals(2000, config.get("requests").asLong());
        assertEquals(4, config.get("clients").asInt());
        assertEquals(2, config.get("pipeline").asInt());
        assertEquals(16, config.get("value_bytes").asInt());
        assertEquals(0, config.get("keyspace").asLong());
        assertEquals("QUORUM", config.get("consistency").asText());
        assertEquals(30, config.get("time_limit_s").asLong());
        assertEquals("auto", config.get("warmup").asText());
        assertEquals(2, config.get("seeds").size());
        JsonNode tests = root.get("tests");
        assertEquals(2, tests.size());
        JsonNode set = tests.get(0);
        assertEquals(List.of("test", "requests", "errors", "seconds", "ops_per_sec", "p50_ms", "p99_ms", "p999_ms",
                "max_ms", "complete", "warmup"), fieldNames(set));
        assertEquals(812_345, set.get("warmup").get("requests").asLong());
        assertEquals(2.123, set.get("warmup").get("seconds").asDouble());
        assertEquals("jit-settled", set.get("warmup").get("end").asText());
        assertEquals("none", tests.get(1).get("warmup").get("end").asText());
        assertEquals("set", set.get("test").asText());
        assertEquals(2000, set.get("requests").asLong());
        assertEquals(0, set.get("errors").asLong());
        assertEquals(4000.0, set.get("ops_per_sec").asDouble());
        assertEquals(0.123, set.get("p50_ms").asDouble());
        assertEquals(9.877, set.get("max_ms").asDouble());
        assertTrue(set.get("complete").asBoolean());
        assertEquals("get", tests.get(1).get("test").asText());
        assertEquals(3, tests.get(1).get("errors").asLong());
        assertEquals(false, tests.get(1).get("complete").asBoolean());
    }

    @Test
    void jsonOfARunStoppedBeforeAnyTestHasAnEmptyList() throws Exception {
        JsonNode root = new ObjectMapper().readTree(BenchReport.json(PLAN, SEEDS, List.of()));
        assertEquals(0, root.get("tests").size());
    }

    @Test
    void textIsAnAlignedTable() {
        String header = BenchReport.textHeader(PLAN, SEEDS);
        assertEquals("memdb bench: 4 clients, pipeline 2, 16-byte values, 1 key, consistency QUORUM, warm-up auto, "
                + "seeds 127.0.0.1:10000,127.0.0.1:10001", header.lines().findFirst().orElseThrow());
        String columns = header.lines().skip(1).findFirst().orElseThrow();
        String row = BenchReport.textRow(SET);
        assertEquals(columns.indexOf("warm-up"), row.indexOf("812345 in 2.1 s, jit-settled"), row);
        assertTrue(row.endsWith("812345 in 2.1 s, jit-settled"), row);
        assertEquals(columns.indexOf("ops/s") + "ops/s".length(), row.indexOf("4000.0") + "4000.0".length());
        assertTrue(BenchReport.textRow(GET).endsWith("  none  (stopped by the time limit)"), BenchReport.textRow(GET));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
