package memdb.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The three shapes of a bench report, as pure functions of the plan and the results: a text table
 * (header, then one row per test as it finishes), CSV (a header line, then one row per test) and one
 * JSON object ({@code {"config": {...}, "tests": [{...}, ...]}}). Numbers use '.' whatever the locale.
 */
public final class BenchReport {
    public static final String CSV_HEADER = "test,requests,errors,seconds,ops_per_sec,p50_ms,p99_ms,p999_ms,max_ms,complete,"
            + "warmup_requests,warmup_seconds,warmup_end";

    /** The last column (the warm-up: requests, seconds, how it ended) is left-aligned and as long as it needs. */
    private static final String TEXT_ROW = "%-12s %10s %8s %9s %11s %9s %9s %9s %9s  %s%s";

    private BenchReport() {}

    /** The first lines of the text report: the load, then the column names. */
    public static String textHeader(BenchPlan plan, List<String> seeds) {
        String keys = plan.keyspace() == 0 ? "1 key" : plan.keyspace() + " keys";
        return String.format(Locale.ROOT, "memdb bench: %d clients, pipeline %d, %d-byte values, %s, consistency %s, warm-up %s, seeds %s%n",
                plan.clients(), plan.pipeline(), plan.valueBytes(), keys, plan.consistency(), plan.warmup(), String.join(",", seeds))
                + String.format(Locale.ROOT, TEXT_ROW, "test", "requests", "errors", "seconds", "ops/s",
                        "p50 ms", "p99 ms", "p99.9 ms", "max ms", "warm-up", "").stripTrailing();
    }

    public static String textRow(TestResult r) {
        return String.format(Locale.ROOT, TEXT_ROW, r.test(), r.requests(), r.errors(), fixed(r.seconds(), 3),
                fixed(r.opsPerSecond(), 1), fixed(r.latencyP50Ms(), 3), fixed(r.latencyP99Ms(), 3),
                fixed(r.latencyP999Ms(), 3), fixed(r.latencyMaxMs(), 3), warmupText(r.warmup()),
                r.complete() ? "" : "  (stopped by the time limit)");
    }

    /** The warm-up cell of the text table: "none", or "812345 in 2.1 s, jit-settled". */
    static String warmupText(Warmup.Done warmup) {
        if (warmup.end() == Warmup.End.NONE) return "none";
        return warmup.requests() + " in " + fixed(warmup.seconds(), 1) + " s, " + warmup.end().label();
    }

    public static String csvRow(TestResult r) {
        return String.join(",", r.test(), Long.toString(r.requests()), Long.toString(r.errors()), fixed(r.seconds(), 3),
                fixed(r.opsPerSecond(), 1), fixed(r.latencyP50Ms(), 3), fixed(r.latencyP99Ms(), 3),
                fixed(r.latencyP999Ms(), 3), fixed(r.latencyMaxMs(), 3), Boolean.toString(r.complete()),
                Long.toString(r.warmup().requests()), fixed(r.warmup().seconds(), 3), r.warmup().end().label());
    }

    public static String json(BenchPlan plan, List<String> seeds, List<TestResult> results) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("requests", plan.requests());
        config.put("clients", plan.clients());
        config.put("pipeline", plan.pipeline());
        config.put("value_bytes", plan.valueBytes());
        config.put("keyspace", plan.keyspace());
        config.put("consistency", plan.consistency().name());
        config.put("seed", plan.seed());
        config.put("warmup", plan.warmup().untilJitSettles() ? "auto" : plan.warmup().requests());
        config.put("time_limit_s", plan.timeLimit().toSeconds());
        config.put("seeds", seeds);
        List<Map<String, Object>> tests = new ArrayList<>();
        for (TestResult r : results) tests.add(jsonTest(r));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config);
        root.put("tests", tests);
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench report as JSON", e);
        }
    }

    private static Map<String, Object> jsonTest(TestResult r) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("test", r.test());
        test.put("requests", r.requests());
        test.put("errors", r.errors());
        test.put("seconds", round(r.seconds(), 3));
        test.put("ops_per_sec", round(r.opsPerSecond(), 1));
        test.put("p50_ms", round(r.latencyP50Ms(), 3));
        test.put("p99_ms", round(r.latencyP99Ms(), 3));
        test.put("p999_ms", round(r.latencyP999Ms(), 3));
        test.put("max_ms", round(r.latencyMaxMs(), 3));
        test.put("complete", r.complete());
        Map<String, Object> warmup = new LinkedHashMap<>();
        warmup.put("requests", r.warmup().requests());
        warmup.put("seconds", round(r.warmup().seconds(), 3));
        warmup.put("end", r.warmup().end().label());
        test.put("warmup", warmup);
        return test;
    }

    /** Made on first use: building an ObjectMapper costs a text or CSV run a tenth of a second of CPU at start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
