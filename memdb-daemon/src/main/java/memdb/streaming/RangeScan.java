package memdb.streaming;

import java.util.ArrayList;
import java.util.List;
import memdb.protocol.ClusterRequests.ReplicaWrite;
import memdb.protocol.Key;
import memdb.protocol.StreamMessages;
import memdb.ring.Ring;
import memdb.ring.TokenRange;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * One chunk of a range's entries, the unit of streaming: the store's entries whose keys fall in a token
 * range and sort after a cursor, in key order, up to a byte budget (at least one entry, so that a chunk
 * always makes progress). Tombstones are included: a delete must travel with the data, or it would come
 * back. Pure; costs one pass over the store.
 */
public final class RangeScan {
    /** A chunk and whether more entries follow its last key. */
    public record Chunk(List<ReplicaWrite> entries, boolean more, long bytes) {
        public Key lastKey() {
            return entries.get(entries.size() - 1).key();
        }
    }

    private RangeScan() {}

    public static Chunk scan(Store store, TokenRange range, Key after, int bytesMax) {
        List<Key> keys = new ArrayList<>();
        store.forEach((key, version) -> {
            if (key.compareTo(after) > 0 && range.contains(Ring.position(key))) keys.add(key);
        });
        keys.sort(null);
        List<ReplicaWrite> entries = new ArrayList<>();
        long bytes = 0;
        for (Key key : keys) {
            if (!entries.isEmpty() && (bytes >= bytesMax || entries.size() == StreamMessages.CHUNK_ENTRIES_MAX)) break;
            Versioned v = store.get(key);
            entries.add(new ReplicaWrite(key, v.isTombstone(), v.timestamp(), v.isTombstone() ? new byte[0] : v.value()));
            bytes += bytesOf(key, v);
        }
        return new Chunk(entries, entries.size() < keys.size(), bytes);
    }

    /** About what an entry costs on the wire. */
    static long bytesOf(Key key, Versioned v) {
        return key.length() + (v.isTombstone() ? 0 : v.value().length) + 24;
    }

    static long bytesOf(List<ReplicaWrite> entries) {
        long bytes = 0;
        for (ReplicaWrite e : entries) bytes += e.key().length() + e.value().length + 24;
        return bytes;
    }
}
