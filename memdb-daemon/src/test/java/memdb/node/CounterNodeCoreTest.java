package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import memdb.clock.LamportClock;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.oplog.OpLog;
import memdb.oplog.StoreReplay;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.replication.ReplicationSettings;
import memdb.store.Store;
import org.junit.jupiter.api.Test;

/** Counters through one core (a cluster of one: it leads every increment): request in, response out. */
class CounterNodeCoreTest {
    private static final Key HITS = Key.of("hits");
    private final RecordingOpLog opLog = new RecordingOpLog(false);
    private NodeCore core = SingleNode.core(new LamportClock(1, 0), new Store(), opLog, 1 << 20);

    private Response handle(Request request) {
        return SingleNode.handle(core, request, 0);
    }

    private long add(Key key, long operationId, long delta) {
        Response response = handle(new CounterMessages.Add(key, operationId, delta, Consistency.DEFAULT));
        return assertInstanceOf(CounterMessages.State.class, response, response::toString).value();
    }

    private void assertError(ErrorCode code, Response response) {
        assertTrue(response instanceof Responses.Error error && error.code() == code, response::toString);
    }

    @Test
    void incrementsAddUpAndARetryCountsOnce() {
        assertEquals(5, add(HITS, 1, 5));
        assertEquals(2, add(HITS, 2, -3));
        assertEquals(2, add(HITS, 2, -3), "the same operation id again");
        assertEquals(2, add(HITS, 1, 5), "an older one still remembered");
        assertEquals(2, ((CounterMessages.State) handle(new CounterMessages.Get(HITS, Consistency.ALL))).value());
        assertEquals(2, opLog.entries.size(), "one COUNTER record per counted increment");
        assertEquals(OpLog.Op.COUNTER, opLog.entries.get(0).op());
    }

    @Test
    void overflowIsRefusedAndLogsNothing() {
        add(HITS, 1, Long.MAX_VALUE);
        assertError(ErrorCode.INVALID_ARGUMENT, handle(new CounterMessages.Add(HITS, 2, 1, Consistency.DEFAULT)));
        assertError(ErrorCode.INVALID_ARGUMENT, handle(new CounterMessages.Add(Key.of("low"), 3, Long.MIN_VALUE, Consistency.DEFAULT)));
        assertEquals(1, opLog.entries.size());
        assertEquals(Long.MAX_VALUE, ((CounterMessages.State) handle(new CounterMessages.Read(HITS))).value());
    }

    @Test
    void valuesAndCountersAreDifferentTypes() {
        handle(new Requests.Set(Key.of("plain"), new byte[] {1}, Consistency.DEFAULT));
        add(HITS, 1, 1);
        assertError(ErrorCode.WRONG_TYPE, handle(new CounterMessages.Add(Key.of("plain"), 2, 1, Consistency.DEFAULT)));
        assertError(ErrorCode.WRONG_TYPE, handle(new CounterMessages.Get(Key.of("plain"), Consistency.ONE)));
        assertError(ErrorCode.WRONG_TYPE, handle(new Requests.Get(HITS, Consistency.ONE)));
        assertError(ErrorCode.WRONG_TYPE, handle(new Requests.Contains(HITS, Consistency.ALL)));
        assertError(ErrorCode.INVALID_ARGUMENT, handle(new CounterMessages.Add(Key.of(""), 3, 1, Consistency.DEFAULT)));
        handle(new Requests.Delete(HITS, Consistency.DEFAULT));
        assertEquals(0, ((CounterMessages.State) handle(new CounterMessages.Get(HITS, Consistency.ONE))).value());
        assertInstanceOf(Responses.Value.class, handle(new Requests.Get(HITS, Consistency.ONE)), "deleted: a plain key again");
        assertEquals(4, add(HITS, 4, 4), "a fresh counter after the delete");
    }

    /** A core restarted on the records of {@code opLog} up to {@code entriesKept} (the rest lost with the tail). */
    private NodeCore restartOn(int entriesKept) {
        Store store = new Store();
        CounterStore counters = new CounterStore();
        StoreReplay replay = new StoreReplay(store, counters);
        long sequence = 0;
        for (RecordingOpLog.Entry e : opLog.slotRecords) replay.accept(new LogRecord(++sequence, e.op(), e.timestamp(), 0, e.key(), e.value()));
        for (RecordingOpLog.Entry e : opLog.entries.subList(0, entriesKept)) {
            replay.accept(new LogRecord(++sequence, e.op(), e.timestamp(), 0, e.key(), e.value()));
        }
        Member self = new Member(1, "127.0.0.1", 10000, 2, 0, Member.Status.NORMAL, true);
        NodeCore.Settings settings = new NodeCore.Settings(
                new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE, 5_000, 1 << 20), 500, 3_000, 16, List.of());
        return new NodeCore(self, new LamportClock(1, 10), store, counters, opLog, settings, new SplittableRandom(2), 0);
    }

    @Test
    void aRestartReplaysTheCounterAndCountsInAFreshSlot() {
        add(HITS, 1, 7);
        assertEquals(1, opLog.slotRecords.size(), "the slot id is drawn at start");
        long slotId = core.counterStore().slotId();
        core = restartOn(opLog.entries.size());
        assertEquals(2, opLog.slotRecords.size(), "every start draws a slot id of its own");
        assertNotEquals(slotId, core.counterStore().slotId());
        assertEquals(8, add(HITS, 2, 1));
        assertEquals(1, core.counterStore().get(HITS).slot(slotId).sequence(), "the old slot stays as it was");
    }

    /**
     * A log that lost its tail (fsync everysec and a power cut, a truncated file) replays an older version of
     * the node's own slot than its peers hold. Counting on in that slot would put the new increments below
     * the peers' copy, and the merge (per-slot maximum) would swallow them; a fresh slot keeps them.
     */
    @Test
    void incrementsAfterALostLogTailAreNotSwallowedByThePeersNewerCopy() {
        add(HITS, 1, 1);
        add(HITS, 2, 1);
        add(HITS, 3, 1);
        PnCounter peersCopy = core.counterStore().get(HITS); // what the other replicas hold: all three
        core = restartOn(1); // the last two increments were lost with the tail
        assertEquals(2, add(HITS, 4, 1));
        PnCounter merged = core.counterStore().get(HITS).merge(peersCopy);
        assertEquals(4, merged.value(), "three increments before the restart and one after");
    }
}
