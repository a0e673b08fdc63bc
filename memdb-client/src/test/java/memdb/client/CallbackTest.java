package memdb.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.InvalidArgumentException;
import memdb.protocol.MemDbException;
import memdb.protocol.MemDbTimeoutException;
import memdb.protocol.Opcode;
import memdb.protocol.UnavailableException;
import org.junit.jupiter.api.Test;

/**
 * The callback variants of get/set/delete/contains (no future per request): the same answers and errors as the
 * future variants, the failure itself (never a CompletionException), exactly one call per request, and a callback
 * that throws harms nothing.
 */
class CallbackTest extends SingleFakeNodeTest {
    /** What one callback received, and how often it ran. */
    private static final class Outcome<T> implements BiConsumer<T, Throwable> {
        final CompletableFuture<T> value = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile Thread thread;

        @Override
        public void accept(T result, Throwable failure) {
            calls.incrementAndGet();
            thread = Thread.currentThread();
            if (failure != null) value.completeExceptionally(failure);
            else value.complete(result);
        }

        T get() throws Exception {
            return value.get(5, TimeUnit.SECONDS);
        }

        Throwable failure() throws Exception {
            try {
                value.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
            throw new AssertionError("the request succeeded");
        }
    }

    @Test
    void everyPrimitiveAnswersAsItsFutureDoes() throws Exception {
        Outcome<Void> set = new Outcome<>();
        db.setAsync("k", "v".getBytes(StandardCharsets.UTF_8), Consistency.DEFAULT, set);
        assertNull(set.get());
        Outcome<byte[]> get = new Outcome<>();
        db.getBytesAsync("k", Consistency.ONE, get);
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), get.get());
        Outcome<Boolean> contains = new Outcome<>();
        db.containsAsync("k", Consistency.ONE, contains);
        assertTrue(contains.get());
        Outcome<Boolean> delete = new Outcome<>();
        db.deleteAsync("k", Consistency.DEFAULT, delete);
        assertTrue(delete.get());
        Outcome<byte[]> absent = new Outcome<>();
        db.getBytesAsync("k", Consistency.ONE, absent);
        assertNull(absent.get());
        for (Outcome<?> outcome : java.util.List.of(set, get, contains, delete, absent)) {
            assertEquals(1, outcome.calls.get());
            assertTrue(NettyTransport.IoThread.class.isInstance(outcome.thread), "answered on the I/O thread");
        }
    }

    @Test
    void theSameKeyStringAgainAndAnEqualOneReachTheSameKey() throws Exception {
        String key = "again";
        for (int i = 0; i < 3; i++) {
            Outcome<Void> set = new Outcome<>();
            db.setAsync(key, new byte[] {(byte) i}, Consistency.DEFAULT, set);
            set.get();
        }
        Outcome<byte[]> get = new Outcome<>();
        db.getBytesAsync(new String("again".toCharArray()), Consistency.ONE, get);
        assertArrayEquals(new byte[] {2}, get.get());
        assertEquals(java.util.List.of("again", "again", "again"), node.keysOf(Opcode.SET));
        assertEquals(java.util.List.of("again"), node.keysOf(Opcode.GET));
    }

    @Test
    void aBadKeyFailsAtOnceOnTheCallersThreadWithTheExceptionItself() throws Exception {
        Outcome<byte[]> outcome = new Outcome<>();
        db.getBytesAsync("", Consistency.ONE, outcome);
        assertTrue(outcome.value.isDone(), "failed before returning");
        assertSame(Thread.currentThread(), outcome.thread);
        assertInstanceOf(InvalidArgumentException.class, outcome.failure());
        assertEquals(1, outcome.calls.get());
    }

    @Test
    void aClosedClientFailsAtOnceWithShuttingDown() throws Exception {
        db.close();
        Outcome<Void> outcome = new Outcome<>();
        db.setAsync("k", new byte[0], Consistency.DEFAULT, outcome);
        assertTrue(outcome.value.isDone());
        MemDbException failure = assertInstanceOf(UnavailableException.class, outcome.failure());
        assertEquals(ErrorCode.SHUTTING_DOWN, failure.code());
    }

    @Test
    void aNodesErrorIsTheExceptionItself() throws Exception {
        node.failKey("bad", ErrorCode.UNAVAILABLE);
        assertGetFailsOnceWith(db, "bad", UnavailableException.class);
    }

    @Test
    void aCallbackThatThrowsLeavesTheConnectionServingTheOthers() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            db.setAsync("k" + i, new byte[] {1}, Consistency.DEFAULT, (value, failure) -> {
                thrown.incrementAndGet();
                throw new IllegalStateException("the caller's bug");
            });
        }
        Outcome<Boolean> after = new Outcome<>();
        db.containsAsync("k9", Consistency.ONE, after);
        assertTrue(after.get());
        assertEquals(10, thrown.get());
    }

    @Test
    void aRequestNobodyAnswersTimesOutThroughItsCallback() throws Exception {
        try (MemDb quick = MemDbConnections.builder().authKey(FakeCluster.AUTH_KEY).node("127.0.0.1", node.port())
                .requestTimeout(Duration.ofMillis(200)).build()) {
            node.silent = true;
            assertGetFailsOnceWith(quick, "k", MemDbTimeoutException.class);
        }
    }

    @Test
    void theInterfacesDefaultVariantsUnwrapTheFuturesFailure() throws Exception {
        MemDbException refused = ErrorCode.UNAVAILABLE.exception("refused");
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) return InvocationHandler.invokeDefault(proxy, method, args);
            if (method.getName().equals("getBytesAsync")) {
                return CompletableFuture.supplyAsync(() -> { throw new CompletionException(refused); });
            }
            if (method.getName().equals("containsAsync")) return CompletableFuture.completedFuture(true);
            throw new UnsupportedOperationException(method.getName());
        };
        MemDb other = (MemDb) Proxy.newProxyInstance(MemDb.class.getClassLoader(), new Class<?>[] {MemDb.class}, handler);
        Outcome<byte[]> failed = new Outcome<>();
        other.getBytesAsync("k", Consistency.ONE, failed);
        assertSame(refused, failed.failure());
        Outcome<Boolean> answered = new Outcome<>();
        other.containsAsync("k", Consistency.ONE, answered);
        assertTrue(answered.get());
    }

    /** A get through the callback of {@code client} fails with the exception itself, of this type, once. */
    private static void assertGetFailsOnceWith(MemDb client, String key, Class<? extends MemDbException> type) throws Exception {
        Outcome<byte[]> outcome = new Outcome<>();
        client.getBytesAsync(key, Consistency.ONE, outcome);
        assertInstanceOf(type, outcome.failure());
        assertEquals(1, outcome.calls.get());
    }
}
