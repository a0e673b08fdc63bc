package memdb.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import memdb.clock.LamportClock;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeCoreTest {
    private static final int NODE_ID = 7;
    private static final int VALUE_BYTES_MAX = 100;
    private static final Key KEY = Key.of("k");

    private final Store store = new Store();
    private final RecordingOpLog opLog = new RecordingOpLog(false);
    private final NodeCore core = SingleNode.core(new LamportClock(NODE_ID, 0), store, opLog, VALUE_BYTES_MAX);

    private Response handle(Request request) {
        return SingleNode.handle(core, request, 0);
    }

    private static Requests.Set set(Key key, String value) {
        return new Requests.Set(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8), Consistency.DEFAULT);
    }

    private Responses.Value get(Key key) {
        return (Responses.Value) handle(new Requests.Get(key, Consistency.DEFAULT));
    }

    private static ErrorCode errorCode(Response response) {
        return assertInstanceOf(Responses.Error.class, response).code();
    }

    /**
     * A node that replicates every key (alone, or N nodes with N replicas) has nothing to drop once its ring
     * settles: its ticks must not walk the store. They did, copying every key and value on the core thread
     * after each boot (about half a second for a million keys, answering nothing meanwhile): measured here
     * as the bytes the ticks allocate, against the keys held.
     */
    @Test
    void theTicksOfANodeThatReplicatesEveryKeyDoNotWalkTheStore() {
        int keys = 100_000;
        byte[] value = new byte[20];
        for (int i = 0; i < keys; i++) store.apply(Key.of("key:" + i), Versioned.value(new Timestamp(i + 1, NODE_ID), value));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        memdb.replication.Outbox nothingSent = new memdb.replication.Outbox() {
            public void reply(Object replyTo, Response response) {}

            public void send(int nodeId, long correlationId, Request r) { throw new AssertionError("a single node sends nothing"); }

            public void sendToAddress(String address, long correlationId, Request r) { throw new AssertionError("no seeds"); }
        };
        core.tick(0, nothingSent); // the first tick sets up what every tick does; the ring settles after it
        long before = threads.getCurrentThreadAllocatedBytes();
        for (long now = 100; now <= 20_000; now += 100) core.tick(now, nothingSent);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10L * keys, allocated + " bytes allocated by 20 s of ticks of a node holding " + keys + " keys");
        assertEquals(keys, store.liveKeys(), "every key is this node's");
    }

    @Test
    void absentKeyReadsAbsent() {
        assertEquals(Responses.Value.ABSENT, get(KEY));
        assertEquals(new Responses.Bool(false), handle(new Requests.Contains(KEY, Consistency.ONE)));
    }

    @Test
    void setThenGetReturnsTheValueWithTheWritesTimestamp() {
        Responses.Written first = (Responses.Written) handle(set(KEY, "v1"));
        assertEquals(new Timestamp(1, NODE_ID), first.timestamp());
        assertFalse(first.existed());
        assertFalse(first.superseded());
        Responses.Written second = (Responses.Written) handle(set(KEY, "v2"));
        assertTrue(second.existed());
        assertTrue(second.timestamp().isAfter(first.timestamp()));
        Responses.Value value = get(KEY);
        assertTrue(value.isPresent());
        assertArrayEquals("v2".getBytes(), value.value());
        assertEquals(second.timestamp(), value.timestamp());
        assertEquals(new Responses.Bool(true), handle(new Requests.Contains(KEY, Consistency.ONE)));
    }

    @Test
    void deleteLeavesATombstoneThatReadsAsNotPresent() {
        handle(set(KEY, "v"));
        Responses.Written deleted = (Responses.Written) handle(new Requests.Delete(KEY, Consistency.DEFAULT));
        assertTrue(deleted.existed());
        Responses.Value value = get(KEY);
        assertFalse(value.isPresent());
        assertEquals(Responses.ValueState.TOMBSTONE, value.state());
        assertEquals(deleted.timestamp(), value.timestamp());
        assertEquals(0, value.value().length);
        assertEquals(new Responses.Bool(false), handle(new Requests.Contains(KEY, Consistency.ONE)));
        assertTrue(store.get(KEY).isTombstone());
        Responses.Written again = (Responses.Written) handle(new Requests.Delete(KEY, Consistency.DEFAULT));
        assertFalse(again.existed());
    }

    @Test
    void aTombstoneStopsAnOlderWriteFromResurrectingTheKey() {
        handle(set(KEY, "v"));
        Responses.Written deleted = (Responses.Written) handle(new Requests.Delete(KEY, Consistency.DEFAULT));
        Store.Applied late = store.apply(KEY, Versioned.value(new Timestamp(deleted.timestamp().lamport() - 1, 9), new byte[] {1}));
        assertFalse(late.applied());
        assertFalse(get(KEY).isPresent());
    }

    @Test
    void aWriteOlderThanTheStoredVersionIsSupersededAndNotLogged() {
        Timestamp newer = new Timestamp(50, NODE_ID + 1);
        store.apply(KEY, Versioned.value(newer, "theirs".getBytes()));
        Responses.Written written = (Responses.Written) handle(set(KEY, "mine"));
        assertTrue(written.superseded());
        assertTrue(written.existed());
        assertArrayEquals("theirs".getBytes(), get(KEY).value());
        assertEquals(newer, get(KEY).timestamp());
        assertTrue(opLog.entries.isEmpty());
    }

    @Test
    void everyRequestObservesTheSendersTimeSoLaterWritesAreOrderedAfterIt() {
        SingleNode.handle(core, new Requests.Ping(), 1_000);
        assertEquals(1_000, core.lamportTime());
        Responses.Written written = (Responses.Written) SingleNode.handle(core, set(KEY, "v"), 10);
        assertEquals(new Timestamp(1_001, NODE_ID), written.timestamp());
        Responses.Written later = (Responses.Written) SingleNode.handle(core, set(KEY, "w"), 5_000);
        assertEquals(new Timestamp(5_001, NODE_ID), later.timestamp());
        assertEquals(5_001, core.lamportTime());
    }

    @Test
    void readsDoNotTickTheClock() {
        handle(set(KEY, "v"));
        long before = core.lamportTime();
        get(KEY);
        handle(new Requests.Contains(KEY, Consistency.ONE));
        assertEquals(before, core.lamportTime());
    }

    @Test
    void appliedWritesAreAppendedToTheOpLog() {
        Responses.Written set = (Responses.Written) handle(set(KEY, "v"));
        Responses.Written delete = (Responses.Written) handle(new Requests.Delete(KEY, Consistency.DEFAULT));
        assertEquals(2, opLog.entries.size());
        RecordingOpLog.Entry first = opLog.entries.get(0);
        assertEquals(OpLog.Op.SET, first.op());
        assertEquals(KEY, first.key());
        assertEquals(set.timestamp(), first.timestamp());
        assertArrayEquals("v".getBytes(), first.value());
        RecordingOpLog.Entry second = opLog.entries.get(1);
        assertEquals(OpLog.Op.DELETE, second.op());
        assertEquals(delete.timestamp(), second.timestamp());
        assertEquals(0, second.value().length);
    }

    @Test
    void emptyAndBinaryValuesRoundTrip() {
        handle(new Requests.Set(KEY, new byte[0], Consistency.DEFAULT));
        assertTrue(get(KEY).isPresent());
        assertEquals(0, get(KEY).value().length);
        byte[] binary = new byte[VALUE_BYTES_MAX];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) (i * 37);
        handle(new Requests.Set(KEY, binary, Consistency.DEFAULT));
        assertArrayEquals(binary, get(KEY).value());
    }

    @Test
    void aValueOverTheLimitIsRefusedAndChangesNothing() {
        Response response = handle(new Requests.Set(KEY, new byte[VALUE_BYTES_MAX + 1], Consistency.DEFAULT));
        assertEquals(ErrorCode.VALUE_TOO_LARGE, errorCode(response));
        assertEquals(Responses.Value.ABSENT, get(KEY));
        assertEquals(0, core.lamportTime());
        assertTrue(opLog.entries.isEmpty());
    }

    @Test
    void keysMustBeOneTo1024Bytes() {
        Key longest = Key.wrap(new byte[Key.BYTES_MAX]);
        assertInstanceOf(Responses.Written.class, handle(set(longest, "v")));
        Key tooLong = Key.wrap(new byte[Key.BYTES_MAX + 1]);
        assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(handle(set(tooLong, "v"))));
        assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(handle(new Requests.Get(tooLong, Consistency.ONE))));
        assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(handle(new Requests.Delete(tooLong, Consistency.ONE))));
        assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(handle(new Requests.Contains(tooLong, Consistency.ONE))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, errorCode(handle(set(Key.wrap(new byte[0]), "v"))));
    }

    @Test
    void keysAreComparedByTheirFullBytes() {
        handle(set(Key.of("Aa"), "1"));
        handle(set(Key.of("BB"), "2")); // same String.hashCode as "Aa"
        assertArrayEquals("1".getBytes(), get(Key.of("Aa")).value());
        assertArrayEquals("2".getBytes(), get(Key.of("BB")).value());
    }

    @ParameterizedTest
    @EnumSource(Consistency.class)
    void everyConsistencyLevelIsServedLocally(Consistency consistency) {
        handle(new Requests.Set(KEY, new byte[] {1}, consistency));
        assertTrue(((Responses.Value) handle(new Requests.Get(KEY, consistency))).isPresent());
    }

    @Test
    void pingIsOk() {
        assertEquals(new Responses.Ok(), handle(new Requests.Ping()));
    }

    @Test
    void authReachingTheCoreIsAnInternalError() {
        Responses.Error error = (Responses.Error) handle(new Requests.Auth(new byte[] {1}));
        assertEquals(ErrorCode.INTERNAL, error.code());
    }
}
