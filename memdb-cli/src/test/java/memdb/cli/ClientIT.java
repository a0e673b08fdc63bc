package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.protocol.AuthenticationException;
import org.junit.jupiter.api.Test;

/** The Java client against a real node: many threads pipelining on one connection, each answered right. */
class ClientIT extends SingleNodeIT {
    private static final String KEY = "client-it-key";

    ClientIT() {
        super(KEY);
    }

    @Test
    void pipelinedConcurrentRequestsFromManyThreadsAreEachAnsweredCorrectly() throws Exception {
        int threads = 8;
        int keysPerThread = 500;
        try (MemDb db = MemdbProcesses.client(server.port(), KEY)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> writeThenReadBack(db, thread, keysPerThread)));
                }
                for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void writeThenReadBack(MemDb db, int thread, int keys) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < keys; i++) writes.add(db.setAsync("t" + thread + "-k" + i, "v" + thread + "-" + i));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        List<CompletableFuture<String>> reads = new ArrayList<>();
        for (int i = 0; i < keys; i++) reads.add(db.getAsync("t" + thread + "-k" + i));
        for (int i = 0; i < keys; i++) assertEquals("v" + thread + "-" + i, reads.get(i).join());
    }

    @Test
    void theOriginalReadmeApiWorks() {
        try (MemDb db = MemDbConnections.cluster(KEY, List.of(server.address()))) {
            db.set("readme", "value");
            assertEquals("value", db.get("readme"));
            assertTrue(db.contains("readme"));
            assertEquals("value", db.quorumGet("readme").awaitQuorum(5, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("no quorum")).mostUptoDateResponse());
            assertTrue(db.delete("readme"));
            assertFalse(db.contains("readme"));
            assertNull(db.get("readme"));
            db.set("bytes", new byte[] {0, (byte) 0xFE});
            assertArrayEquals(new byte[] {0, (byte) 0xFE}, db.getBytes("bytes"));
            db.set("empty", "");
            assertEquals("", db.get("empty"));
        }
    }

    @Test
    void aWrongKeyIsATypedException() {
        try (MemDb db = MemDbConnections.single("127.0.0.1", server.port(), "wrong")) {
            assertThrows(AuthenticationException.class, () -> db.get("x"));
        }
    }
}
