package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import memdb.client.MemDb;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * max-memory end to end (issue 9, item 5): a real node with a 64 MB heap and max-memory 24mb is sent
 * three times its heap in writes. It refuses the writes past max-memory with OUT_OF_MEMORY, keeps
 * answering reads and deletes, says so in /metrics, and is still up at the end: the node never dies of load.
 * A max-memory that does not fit in the JVM's direct memory, where the data lives, is refused at start.
 */
class MemoryLimitIT {
    private static final String KEY = "memory-it-key";
    private static final int VALUE_BYTES = 64 * 1024;
    /** 192 MB of writes against a 64 MB heap. */
    private static final int WRITES = 3072;

    @TempDir
    Path root;

    @Test
    void aNodeFilledPastMaxMemoryRefusesWritesKeepsServingReadsAndStaysUp() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            Path home = processes.newHome("server");
            MemdbProcesses.Server server = processes.startServer(home, MemdbProcesses.freePort(),
                    Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m", "MEMDB_MAX_MEMORY", "24mb"),
                    "--auth-key", KEY, "--data-dir", home.resolve("db").toString());
            byte[] value = new byte[VALUE_BYTES];
            int written = 0;
            int refused = 0;
            MemDbException firstRefusal = null;
            try (MemDb db = MemdbProcesses.client(server.port(), KEY)) {
                for (int i = 0; i < WRITES; i++) {
                    value[0] = (byte) i;
                    try {
                        db.set("k" + i, value);
                        written++;
                    } catch (MemDbException e) {
                        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
                        if (firstRefusal == null) firstRefusal = e;
                        refused++;
                    }
                }
                assertNotNull(firstRefusal, "writes past max-memory are refused");
                assertTrue(firstRefusal.getMessage().contains("max-memory"), firstRefusal.getMessage());
                assertTrue(written > 250 && written < 400, "about 24 MB of 64 KB values taken: " + written);
                assertEquals(WRITES, written + refused);
                assertTrue(server.process().isAlive(), "the node is up after " + WRITES + " writes: " + server.stderr());

                byte[] first = db.getBytes("k0");
                assertEquals(VALUE_BYTES, first.length, "reads still work");
                assertEquals(0, first[0]);
                for (int i = 0; i < 50; i++) db.delete("k" + i);
                value[0] = 42;
                db.set("after-deletes", value);
                assertArrayEquals(value, db.getBytes("after-deletes"), "deletes made room for new writes");
            }
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + server.adminAddress() + "/metrics")).header("Authorization", "Bearer " + KEY).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals((double) refused, metric(metrics, "memdb_requests_refused_total{reason=\"out_of_memory\"}"), metrics);
            assertEquals(24.0 * 1024 * 1024, metric(metrics, "memdb_memory_max_bytes"));
            assertTrue(metric(metrics, "memdb_memory_used_bytes") <= 24.0 * 1024 * 1024, metrics);
            assertTrue(server.process().isAlive(), "still up: " + server.stderr());
            assertTrue(!server.stderr().toString().contains("OutOfMemoryError"), server.stderr().toString());
        }
    }

    /**
     * The data lives in direct memory (memdb.store.Slabs): a max-memory larger than the JVM's direct memory
     * would let the store take the buffers the connections need, so the node refuses to start, exit 2, and
     * says what to change; with room for it, the same max-memory starts.
     */
    @Test
    void aMaxMemoryLargerThanTheJvmsDirectMemoryIsRefusedAtStart() throws Exception {
        try (MemdbProcesses processes = new MemdbProcesses(root)) {
            Path home = processes.newHome("server");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> processes.startServer(home, MemdbProcesses.freePort(),
                            Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:MaxDirectMemorySize=16m", "MEMDB_MAX_MEMORY", "24mb"),
                            "--auth-key", KEY, "--data-dir", home.resolve("db").toString()));
            String message = refused.getMessage();
            assertTrue(message.startsWith("server exited with 2: "), message);
            assertTrue(message.contains("max-memory 25165824 bytes does not fit in this JVM"), message);
            assertTrue(message.contains("-XX:MaxDirectMemorySize"), message);
            assertTrue(!message.contains("Exception"), message);

            MemdbProcesses.Server server = processes.startServer(home, MemdbProcesses.freePort(),
                    Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:MaxDirectMemorySize=32m", "MEMDB_MAX_MEMORY", "24mb"),
                    "--auth-key", KEY, "--data-dir", home.resolve("db").toString());
            try (MemDb db = MemdbProcesses.client(server.port(), KEY)) {
                db.set("fits", new byte[VALUE_BYTES]);
                assertEquals(VALUE_BYTES, db.getBytes("fits").length);
            }
        }
    }

    private static double metric(String page, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(page);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
