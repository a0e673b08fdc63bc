package memdb.oplog.format;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import memdb.crdt.PnCounter;
import memdb.protocol.Key;

/**
 * Chooses what a compacted snapshot keeps: for each key, the record with the newest timestamp
 * (last-writer-wins, the same rule the store applies on replay), minus tombstones older than the grace;
 * for a counter, one COUNTER record holding the merge of all of the key's (dropped when a newer plain
 * record replaced the counter); the newest COUNTER_SLOT record (the node's counter slot id).
 * Pure: "now" and the grace are parameters. Paxos acceptor records (PAXOS_PROMISE, PAXOS_ACCEPT) are kept
 * apart: the newest of each kind per key, and only while its ballot is above the key's newest data
 * record (a committed value is stored with its ballot as timestamp, which overtakes the state: docs/cas.md).
 *
 * <p>Invariants: replaying {@link #result} into an empty store yields the same value for every key as
 * replaying every record {@link #add}ed (a tombstone is dropped only when it is the key's newest record,
 * so no older write can come back); HINT records never mix with the store's records: per (peer, key) the
 * newest one is kept while it still owes the peer a version; the floors are the highest sequence and lamport ever seen, including
 * those of records that were dropped, so numbering and the clock never go backwards.
 */
public final class Compactor {
    /** A hint is per peer and key: the newest record of each decides (a DONE removes it). */
    private record HintSlot(int peer, Key key) {}

    /** SET, DELETE and CLUSTER records: the newest per key (the bulk of any log). */
    private final NewestPerKey newest = new NewestPerKey();
    /** Per key, every COUNTER record merged into one (the replayed counter), carrying the last one's sequence. */
    private final Map<Key, LogRecord> counters = new HashMap<>();
    private LogRecord slotRecord;
    private final Map<HintSlot, LogRecord> newestHints = new HashMap<>();
    private final NewestPerKey promises = new NewestPerKey();
    private final NewestPerKey accepts = new NewestPerKey();
    private long recordsIn;
    private long sequenceFloor;
    private long lamportFloor;

    /**
     * Adds the record a frame holds without copying it when it is a SET, DELETE or CLUSTER record (the
     * compactor's bulk: an overwrite of a key already seen allocates nothing); any other record is copied
     * and added as by {@link #add(LogRecord)}. The frame is not kept.
     */
    public void add(Frame frame) {
        NewestPerKey table = newestTable(frame.op());
        if (table != newest) {
            add(frame.toRecord());
            return;
        }
        count(frame.sequence(), frame.lamport());
        newest.offer(frame);
    }

    public void add(LogRecord record) {
        count(record.sequence(), record.timestamp().lamport());
        if (record.op() == memdb.oplog.OpLog.Op.CLOCK) return; // the lamport floor keeps what it reserved
        if (record.op() == memdb.oplog.OpLog.Op.COUNTER_SLOT) {
            if (slotRecord == null || record.sequence() > slotRecord.sequence()) slotRecord = record;
            return;
        }
        if (record.op() == memdb.oplog.OpLog.Op.COUNTER) {
            counters.merge(record.key(), record, Compactor::mergeCounters);
            return;
        }
        if (record.op() == memdb.oplog.OpLog.Op.HINT) {
            HintSlot slot = new HintSlot(HintPayload.decode(record.value()).peer(), record.key());
            newestHints.merge(slot, record, (held, incoming) -> incoming.sequence() > held.sequence() ? incoming : held);
            return;
        }
        newestTable(record.op()).offer(record);
    }

    private void count(long sequence, long lamport) {
        recordsIn++;
        sequenceFloor = Math.max(sequenceFloor, sequence);
        lamportFloor = Math.max(lamportFloor, lamport);
    }

    /** The table of an op kept newest-per-key: acceptor state apart from data (SET, DELETE, CLUSTER). */
    private NewestPerKey newestTable(memdb.oplog.OpLog.Op op) {
        return switch (op) {
            case PAXOS_PROMISE -> promises;
            case PAXOS_ACCEPT -> accepts;
            case SET, DELETE, CLUSTER -> newest;
            case CLOCK, COUNTER, COUNTER_SLOT, HINT -> null;
        };
    }

    /** The PN-counter join of two COUNTER records of a key, as replay would merge them; the later sequence. */
    private static LogRecord mergeCounters(LogRecord held, LogRecord incoming) {
        PnCounter merged = PnCounter.fromBytes(held.value()).merge(PnCounter.fromBytes(incoming.value()));
        LogRecord last = incoming.sequence() > held.sequence() ? incoming : held;
        return new LogRecord(last.sequence(), last.op(), merged.epoch(), last.wallMillis(), last.key(), merged.toBytes());
    }

    /** Raises the floors to those of an input segment header. */
    public void observeFloors(long sequence, long lamport) {
        sequenceFloor = Math.max(sequenceFloor, sequence);
        lamportFloor = Math.max(lamportFloor, lamport);
    }

    /**
     * Tombstone safety (issue 5 item 6): a delete may be forgotten only when it is older than the grace
     * (a negative grace: never) AND a complete anti-entropy round began after it was written: that round
     * pushed it to every other replica of its range, so no replica still holds the older value it buried,
     * and forgetting it cannot bring the key back.
     */
    public static boolean purgeable(long tombstoneWallMillis, long nowMillis, long tombstoneGraceMillis, long repairedSinceMillis) {
        return tombstoneGraceMillis >= 0 && nowMillis - tombstoneWallMillis > tombstoneGraceMillis
                && tombstoneWallMillis < repairedSinceMillis;
    }

    public long recordsIn() {
        return recordsIn;
    }

    public long sequenceFloor() {
        return sequenceFloor;
    }

    public long lamportFloor() {
        return lamportFloor;
    }

    /** Older than the grace (a negative grace: never), whatever repair did: how hints expire. */
    private static boolean expired(LogRecord r, long nowMillis, long graceMillis) {
        return purgeable(r.wallMillis(), nowMillis, graceMillis, Long.MAX_VALUE);
    }

    /**
     * The kept records in sequence order; hints still owed (not DONE, younger than the grace: an older hint
     * could bring back a value whose newer tombstone was purged). A tombstone is purged when {@code nowMillis - wallMillis >
     * tombstoneGraceMillis}; a negative grace keeps every tombstone. No cluster condition: for a node
     * alone, or a caller that decided so (see the three-argument form).
     */
    public List<LogRecord> result(long nowMillis, long tombstoneGraceMillis) {
        return result(nowMillis, tombstoneGraceMillis, Long.MAX_VALUE);
    }

    /**
     * The kept records in sequence order; a tombstone is purged only when {@link #purgeable} says so.
     * {@code repairedSinceMillis}: the start of this node's last complete anti-entropy round (docs/cluster.md,
     * "Tombstones"); {@code Long.MIN_VALUE} when there was none, which keeps every tombstone.
     */
    public List<LogRecord> result(long nowMillis, long tombstoneGraceMillis, long repairedSinceMillis) {
        KeptRecords kept = new KeptRecords(newest, newest.size());
        newest.forEach(ref -> {
            if (!(newest.isTombstone(ref) && purgeable(newest.wallMillis(ref), nowMillis, tombstoneGraceMillis, repairedSinceMillis))) {
                kept.addEntry(newest.sequence(ref), ref);
            }
        });
        for (LogRecord r : newestHints.values()) {
            boolean done = HintPayload.decode(r.value()).kind() == HintPayload.Kind.DONE;
            if (!done && !expired(r, nowMillis, tombstoneGraceMillis)) kept.addRecord(r);
        }
        counters.forEach((key, counter) -> {
            long plain = newest.find(key.bytes());
            if (plain == NewestPerKey.NONE || !newest.timestamp(plain).isAfter(counter.timestamp())) kept.addRecord(counter); // else replaced
        });
        if (slotRecord != null) kept.addRecord(slotRecord);
        for (NewestPerKey acceptorState : List.of(promises, accepts)) {
            acceptorState.forEach(state -> {
                long data = newest.find(acceptorState.key(state));
                if (data == NewestPerKey.NONE || acceptorState.timestamp(state).isAfter(newest.timestamp(data))) {
                    kept.addRecord(acceptorState.toRecord(state));
                }
            });
        }
        return kept.inSequenceOrder();
    }
}
