package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many requests in flight on one connection, answered out of order by the fake (it shuffles the answers
 * to the requests of each read): each caller must still get its own answer.
 */
@ExtendWith(SampledLeakDetection.class)
class PipeliningTest extends SingleFakeNodeTest {
    private static final int THREADS = 16;
    private static final int OPERATIONS_PER_THREAD = 1000;

    @Test
    void concurrentBlockingCallersEachGetTheirOwnAnswer() throws Exception {
        node.reorder = true;
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                        String key = "k-" + thread + "-" + (i / 2 % 50);
                        if (i % 2 == 0) db.set(key, "v-" + thread + "-" + i);
                        else assertEquals("v-" + thread + "-" + (i - 1), db.get(key));
                    }
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        assertEquals(THREADS * OPERATIONS_PER_THREAD, node.requestsReceived.get());
        assertEquals(1, node.connectionsAccepted.get(), "all requests share one connection");
        assertTrue(node.answersReordered.get() > 0, "the fake answered out of order");
    }

    @Test
    void aBurstOfAsyncRequestsBeyondTheInFlightLimitIsAnsweredInFull() {
        node.reorder = true;
        int requests = 2000;
        try (MemDb bounded = MemDbConnections.builder().authKey("secret").seeds(List.of(node.seed()))
                .inFlightRequestsMax(64).build()) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < requests; i++) writes.add(bounded.setAsync("burst-" + i, "value-" + i));
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            List<CompletableFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < requests; i++) reads.add(bounded.getAsync("burst-" + i));
            for (int i = 0; i < requests; i++) assertEquals("value-" + i, reads.get(i).join());
            assertTrue(node.answersReordered.get() > 0, "the fake answered out of order");
        }
    }
}
