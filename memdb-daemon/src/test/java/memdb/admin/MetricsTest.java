package memdb.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** RequestMetrics under concurrent recording, and /metrics as a valid Prometheus text exposition. */
class MetricsTest {
    /** One sample line: name, optional {labels}, a Go-parsable number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*})? "
                    + "(NaN|[+-]Inf|-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+");

    /** Parses the exposition strictly; returns "name{labels}" → value. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                assertTrue(COMMENT.matcher(line).matches(), "bad comment: " + line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "bad sample: " + line);
            String value = m.group(3);
            double number = value.equals("NaN") ? Double.NaN : value.endsWith("Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), number);
        }
        return samples;
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        RequestMetrics metrics = new RequestMetrics();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) metrics.record(i % 2 == 0 ? "get" : "set", i % 10 == 0, 1_000_000);
                }));
                if (t == 1) metrics.snapshot(); // snapshots race with recording
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        Map<String, RequestMetrics.OperationStats> stats = new HashMap<>();
        for (RequestMetrics.OperationStats s : metrics.snapshot()) stats.put(s.op(), s);
        assertEquals(20_000, stats.get("get").ok() + stats.get("get").errors());
        assertEquals(4_000, stats.get("get").errors());
        assertEquals(20_000, stats.get("set").latencyCount());
        assertEquals(0.001, stats.get("get").p50Seconds(), 0.001 * 0.01);
        assertEquals(20.0, stats.get("set").latencySumSeconds(), 1e-9);
    }

    /** The core loop's way (a batch at once, runs of one operation under one lock) counts exactly what one by one does. */
    @Test
    void recordingABatchEqualsRecordingEachAnswer() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261127L);
        String[] names = {"get", "set", "delete"};
        RequestMetrics batched = new RequestMetrics();
        RequestMetrics single = new RequestMetrics();
        for (int batch = 0; batch < 50; batch++) {
            int count = random.nextInt(40);
            String[] ops = new String[count + 3];
            boolean[] errors = new boolean[count + 3];
            long[] latencies = new long[count + 3];
            for (int i = 0; i < count; i++) {
                ops[i] = names[random.nextInt(random.nextBoolean() ? 1 : names.length)];
                errors[i] = random.nextInt(7) == 0;
                latencies[i] = random.nextLong(-10, 5_000_000_000L);
                single.record(ops[i], errors[i], latencies[i]);
            }
            batched.recordAll(ops, errors, latencies, count); // entries past count are not read
        }
        assertEquals(single.snapshot(), batched.snapshot());
    }

    @Test
    void quantilesFollowTheRecordedLatencies() {
        RequestMetrics metrics = new RequestMetrics();
        for (int i = 1; i <= 1000; i++) metrics.record("get", false, i * 1_000_000L); // 1..1000 ms
        RequestMetrics.OperationStats get = metrics.snapshot().get(0);
        assertEquals(0.5, get.p50Seconds(), 0.5 * 0.01);
        assertEquals(0.99, get.p99Seconds(), 0.99 * 0.01);
        assertEquals(0.999, get.p999Seconds(), 0.999 * 0.01);
        metrics.record("get", false, Long.MAX_VALUE); // clamped, not an exception
        metrics.record("get", true, -5);
        assertEquals(1002, metrics.snapshot().get(0).latencyCount());
    }

    @Test
    void operationNamesAreBounded() {
        RequestMetrics metrics = new RequestMetrics();
        for (int i = 0; i < RequestMetrics.OPERATIONS_MAX + 10; i++) metrics.record("op" + i, false, 1000);
        List<RequestMetrics.OperationStats> stats = metrics.snapshot();
        assertEquals(RequestMetrics.OPERATIONS_MAX + 1, stats.size());
        assertEquals(10, stats.stream().filter(s -> s.op().equals(RequestMetrics.OTHER)).findFirst().orElseThrow().ok());
    }

    @Test
    void labelValuesAreEscaped() {
        String text = new PrometheusText().family("m", "counter", "help").sample("m", 1, "op", "a\"b\\c\nd").text();
        assertEquals(1.0, parse(text).get("m{op=\"a\\\"b\\\\c\\nd\"}"));
    }

    @Test
    void metricsEndpointServesTheExposition() throws Exception {
        FakeBackend backend = new FakeBackend();
        backend.requests.record("get", false, 2_000_000);
        backend.requests.record("get", true, 4_000_000);
        backend.requests.record("set", false, 1_000_000);
        try (AdminServer server = AdminServer.bind("127.0.0.1", 0, "key", backend)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                            .header("Authorization", "Bearer key").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Map<String, Double> samples = parse(response.body());
            assertEquals(1.0, samples.get("memdb_requests_total{op=\"get\",outcome=\"ok\"}"));
            assertEquals(1.0, samples.get("memdb_requests_total{op=\"get\",outcome=\"error\"}"));
            assertEquals(0.0, samples.get("memdb_requests_total{op=\"set\",outcome=\"error\"}"));
            assertEquals(0.004, samples.get("memdb_request_latency_seconds{op=\"get\",quantile=\"0.999\"}"), 0.004 * 0.01);
            assertEquals(2.0, samples.get("memdb_request_latency_seconds_count{op=\"get\"}"));
            assertEquals(0.006, samples.get("memdb_request_latency_seconds_sum{op=\"get\"}"), 1e-12);
            assertEquals(90.0, samples.get("memdb_replication_messages_total"));
            assertEquals(3.0, samples.get("memdb_read_repairs_total"));
            assertEquals(42.0, samples.get("memdb_keys"));
            assertEquals(9000.0, samples.get("memdb_store_bytes"));
            assertEquals(123.0, samples.get("memdb_lamport_time"));
            assertEquals(2.0, samples.get("memdb_cluster_nodes{state=\"up\"}"));
            assertEquals(1.0, samples.get("memdb_cluster_nodes{state=\"down\"}"));
            assertEquals(61.0, samples.get("memdb_uptime_seconds"));
        }
    }
}
