package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code memdb bench} as a user runs it: the real jar against a real node on loopback. */
class BenchIT extends SingleNodeIT {
    private static final String KEY = "bench-it-key";

    BenchIT() {
        super(KEY, "--fsync", "no");
    }

    @Test
    void setAndGetReportThroughputAndNoErrorsAsJson() throws Exception {
        MemdbProcesses.Result result = processes.run(env, NONE, "bench", "-s", server.address(), "-a", KEY,
                "-t", "set,get", "-n", "2000", "-c", "4", "--json");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        JsonNode report = new ObjectMapper().readTree(result.stdout());
        assertEquals(4, report.path("config").path("clients").asInt());
        JsonNode tests = report.path("tests");
        assertEquals(2, tests.size(), result.stdout());
        for (int i = 0; i < 2; i++) {
            JsonNode test = tests.get(i);
            assertEquals(List.of("set", "get").get(i), test.path("test").asText());
            assertEquals(2000, test.path("requests").asLong());
            assertEquals(0, test.path("errors").asLong(), result.stdout());
            assertTrue(test.path("ops_per_sec").asDouble() > 0, result.stdout());
            assertTrue(test.path("p50_ms").asDouble() <= test.path("max_ms").asDouble(), result.stdout());
            assertTrue(test.path("complete").asBoolean());
            // the default warm-up is auto: until the JIT settles, at most 10 x -n requests
            JsonNode warmup = test.path("warmup");
            assertTrue(warmup.path("requests").asLong() > 0 && warmup.path("requests").asLong() <= 20_000, result.stdout());
            assertTrue(List.of("jit-settled", "bound").contains(warmup.path("end").asText()), result.stdout());
        }
    }

    @Test
    void csvOfEveryTestOnRandomKeys() throws Exception {
        MemdbProcesses.Result result = processes.run(env, NONE, "bench", "-s", server.address(), "-a", KEY,
                "-n", "500", "-c", "3", "-P", "4", "-r", "100", "-d", "64", "--csv");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(6, lines.size(), result.stdout());
        assertEquals("test,requests,errors,seconds,ops_per_sec,p50_ms,p99_ms,p999_ms,max_ms,complete,"
                + "warmup_requests,warmup_seconds,warmup_end", lines.get(0));
        List<String> names = lines.stream().skip(1).map(line -> line.split(",")[0]).toList();
        assertEquals(List.of("set", "get", "contains", "quorum-get", "delete"), names);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            assertEquals("500", fields[1], line);
            assertEquals("0", fields[2], line);
            assertEquals("true", fields[9], line);
            assertTrue(Long.parseLong(fields[10]) <= 5000, "auto warm-up: at most 10 x -n requests: " + line);
            assertTrue(List.of("jit-settled", "bound").contains(fields[12]), line);
        }
    }

    @Test
    void manyConnectionsToTheNodeCarryTheClientsWithoutErrors() throws Exception {
        MemdbProcesses.Result result = processes.run(env, NONE, "bench", "-s", server.address(), "-a", KEY,
                "-t", "set", "-n", "2000", "-c", "40", "--connections", "20", "-r", "500", "--json");
        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode set = new ObjectMapper().readTree(result.stdout()).path("tests").get(0);
        assertEquals(2000, set.path("requests").asLong(), result.stdout());
        assertEquals(0, set.path("errors").asLong(), result.stdout());
        assertTrue(set.path("complete").asBoolean(), result.stdout());
    }

    @Test
    void aWrongAuthKeyIsExitCodeFourInOneSentence() throws Exception {
        MemdbProcesses.Result result = processes.run(env, NONE, "bench", "-s", server.address(), "-a", "not-the-key",
                "-t", "get", "-n", "10");
        assertEquals(ExitCode.AUTH_REFUSED, result.exitCode(), result.stderr());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
        assertEquals("", result.stdout());
    }
}
