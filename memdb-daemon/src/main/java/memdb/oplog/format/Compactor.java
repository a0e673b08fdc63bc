package memdb.oplog.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import memdb.protocol.Key;

/**
 * Chooses what a compacted snapshot keeps: for each key, the record with the newest timestamp
 * (last-writer-wins, the same rule the store applies on replay), minus tombstones older than the grace.
 * Pure: "now" and the grace are parameters. Paxos acceptor records (PAXOS_PROMISE, PAXOS_ACCEPT) are kept
 * apart: the newest of each kind per key, and only while its ballot is above the key's newest data
 * record (a committed value is stored with its ballot as timestamp, which overtakes the state: docs/cas.md).
 *
 * <p>Invariants: replaying {@link #result} into an empty store yields the same value for every key as
 * replaying every record {@link #add}ed (a tombstone is dropped only when it is the key's newest record,
 * so no older write can come back); the floors are the highest sequence and lamport ever seen, including
 * those of records that were dropped, so numbering and the clock never go backwards.
 */
public final class Compactor {
    private final Map<Key, LogRecord> newest = new HashMap<>();
    private final Map<Key, LogRecord> promises = new HashMap<>();
    private final Map<Key, LogRecord> accepts = new HashMap<>();
    private long recordsIn;
    private long sequenceFloor;
    private long lamportFloor;

    public void add(LogRecord record) {
        recordsIn++;
        sequenceFloor = Math.max(sequenceFloor, record.sequence());
        lamportFloor = Math.max(lamportFloor, record.timestamp().lamport());
        if (record.op() == memdb.oplog.OpLog.Op.CLOCK) return; // the lamport floor keeps what it reserved
        Map<Key, LogRecord> kind = record.op() == memdb.oplog.OpLog.Op.PAXOS_PROMISE ? promises
                : record.op() == memdb.oplog.OpLog.Op.PAXOS_ACCEPT ? accepts : newest;
        kind.merge(record.key(), record, (held, incoming) -> incoming.timestamp().isAfter(held.timestamp()) ? incoming : held);
    }

    /** Raises the floors to those of an input segment header. */
    public void observeFloors(long sequence, long lamport) {
        sequenceFloor = Math.max(sequenceFloor, sequence);
        lamportFloor = Math.max(lamportFloor, lamport);
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

    /**
     * The kept records in sequence order. A tombstone is purged when {@code nowMillis - wallMillis >
     * tombstoneGraceMillis}; a negative grace keeps every tombstone.
     */
    public List<LogRecord> result(long nowMillis, long tombstoneGraceMillis) {
        List<LogRecord> kept = new ArrayList<>(newest.size());
        for (LogRecord r : newest.values()) {
            boolean expired = r.isTombstone() && tombstoneGraceMillis >= 0 && nowMillis - r.wallMillis() > tombstoneGraceMillis;
            if (!expired) kept.add(r);
        }
        for (Map<Key, LogRecord> acceptorState : List.of(promises, accepts)) {
            for (LogRecord r : acceptorState.values()) {
                LogRecord data = newest.get(r.key());
                if (data == null || r.timestamp().isAfter(data.timestamp())) kept.add(r);
            }
        }
        kept.sort(Comparator.comparingLong(LogRecord::sequence));
        return kept;
    }
}
