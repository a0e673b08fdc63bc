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
 * Pure: "now" and the grace are parameters.
 *
 * <p>Invariants: replaying {@link #result} into an empty store yields the same value for every key as
 * replaying every record {@link #add}ed (a tombstone is dropped only when it is the key's newest record,
 * so no older write can come back); the floors are the highest sequence and lamport ever seen, including
 * those of records that were dropped, so numbering and the clock never go backwards.
 */
public final class Compactor {
    private final Map<Key, LogRecord> newest = new HashMap<>();
    private long recordsIn;
    private long sequenceFloor;
    private long lamportFloor;

    public void add(LogRecord record) {
        recordsIn++;
        sequenceFloor = Math.max(sequenceFloor, record.sequence());
        lamportFloor = Math.max(lamportFloor, record.timestamp().lamport());
        if (record.op() == memdb.oplog.OpLog.Op.CLOCK) return; // the lamport floor keeps what it reserved
        newest.merge(record.key(), record, (held, incoming) -> incoming.timestamp().isAfter(held.timestamp()) ? incoming : held);
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

    /**
     * The kept records in sequence order. A tombstone is purged when {@code nowMillis - wallMillis >
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
        List<LogRecord> kept = new ArrayList<>(newest.size());
        for (LogRecord r : newest.values()) {
            if (!(r.isTombstone() && purgeable(r.wallMillis(), nowMillis, tombstoneGraceMillis, repairedSinceMillis))) kept.add(r);
        }
        kept.sort(Comparator.comparingLong(LogRecord::sequence));
        return kept;
    }
}
