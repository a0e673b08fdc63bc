package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.Compactor;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;

/** Counter records (ops 4 and 5) through replay, compaction and log-dump. */
class CounterLogTest {
    private static final Key HITS = Key.of("hits");
    private static final Key MIXED = Key.of("mixed");
    private long sequence;

    private LogRecord record(Op op, Key key, Timestamp ts, byte[] value) {
        return new LogRecord(++sequence, op, ts, 1000 + sequence, key, value);
    }

    private LogRecord counter(Key key, PnCounter counter) {
        return record(Op.COUNTER, key, counter.epoch(), counter.toBytes());
    }

    private record Replayed(Store store, CounterStore counters) {}

    private static Replayed replay(List<LogRecord> records) {
        Replayed replayed = new Replayed(new Store(), new CounterStore());
        records.forEach(new StoreReplay(replayed.store(), replayed.counters()));
        return replayed;
    }

    /** A leader's slot versions, another node's slot, a counter replaced by a SET, a delete and a new epoch. */
    private List<LogRecord> log() {
        List<LogRecord> log = new ArrayList<>();
        log.add(record(Op.COUNTER_SLOT, CounterStore.SLOT_RECORD_KEY, new Timestamp(0, 1), CounterStore.slotIdBytes(77)));
        PnCounter own = PnCounter.EMPTY;
        for (long op = 1; op <= 5; op++) {
            own = own.add(77, op, op);
            log.add(counter(HITS, PnCounter.of(own.epoch(), List.of(own.slot(77)))));
        }
        log.add(counter(HITS, PnCounter.EMPTY.add(88, 100, -4)));
        log.add(counter(MIXED, PnCounter.EMPTY.add(77, 6, 9)));
        log.add(record(Op.SET, MIXED, new Timestamp(5, 2), new byte[] {'v'}));
        log.add(record(Op.DELETE, Key.of("gone"), new Timestamp(6, 2), new byte[0]));
        log.add(counter(Key.of("gone"), PnCounter.empty(new Timestamp(6, 2)).add(77, 7, 2)));
        log.add(counter(Key.of("gone"), PnCounter.EMPTY.add(88, 8, 50))); // an older epoch: ignored
        return log;
    }

    @Test
    void replayRestoresCountersTheSlotIdAndTheKindOfEachKey() {
        Replayed replayed = replay(log());
        assertEquals(77, replayed.counters().slotId());
        assertEquals(15 - 4, replayed.counters().get(HITS).value());
        assertEquals(5, replayed.counters().get(HITS).slot(77).sequence());
        assertNull(replayed.counters().get(MIXED), "the newer SET replaced the counter");
        assertEquals(2, replayed.counters().get(Key.of("gone")).value(), "the counter after the delete; the older epoch ignored");
    }

    @Test
    void compactionKeepsOneMergedRecordPerCounterAndReplaysTheSame() {
        List<LogRecord> log = log();
        Compactor compactor = new Compactor();
        log.forEach(compactor::add);
        List<LogRecord> kept = compactor.result(0, -1);
        assertEquals(1, kept.stream().filter(r -> r.op() == Op.COUNTER && r.key().equals(HITS)).count());
        assertEquals(0, kept.stream().filter(r -> r.op() == Op.COUNTER && r.key().equals(MIXED)).count());
        assertEquals(1, kept.stream().filter(r -> r.op() == Op.COUNTER_SLOT).count());
        Replayed all = replay(log);
        Replayed compacted = replay(kept);
        for (Key key : List.of(HITS, MIXED, Key.of("gone"))) {
            assertEquals(all.counters().get(key), compacted.counters().get(key), key.toString());
            assertEquals(all.store().get(key), compacted.store().get(key), key.toString());
        }
        assertEquals(all.counters().slotId(), compacted.counters().slotId());
    }

    @Test
    void compactionInAnyOrderOfCounterRecordsGivesTheSameCounter() {
        Random random = new Random(6);
        List<LogRecord> log = log();
        for (int round = 0; round < 20; round++) {
            List<LogRecord> shuffled = new ArrayList<>(log);
            java.util.Collections.shuffle(shuffled, random);
            Compactor compactor = new Compactor();
            shuffled.forEach(compactor::add);
            assertEquals(replay(log).counters().get(HITS), replay(compactor.result(0, -1)).counters().get(HITS));
        }
    }

    @Test
    void logDumpShowsTheCounterAndTheSlotId() {
        List<LogRecord> log = log();
        assertEquals("\"slotId\":77", LogDump.detail(log.get(0)));
        String detail = LogDump.detail(log.get(5));
        assertTrue(detail.startsWith("\"counter\":{\"value\":15,\"slots\":[{\"slotId\":77,\"sequence\":5,"), detail);
        assertNull(LogDump.detail(log.get(8)));
    }
}
