package memdb.repair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import memdb.cluster.Membership;
import memdb.protocol.Key;
import memdb.protocol.RepairMessages;
import memdb.protocol.RepairMessages.Entry;
import memdb.protocol.Request;
import memdb.protocol.StateTransferMessages;
import memdb.counter.CounterStore;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.replication.Replica;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * The replica side of anti-entropy: answers a peer's REPAIR_DIGEST (tree hashes), REPAIR_FETCH (entries of
 * leaves, cut at a leaf boundary past {@link RepairMessages#ENTRY_BYTES_SOFT_MAX}) and REPAIR_PUSH (applied
 * by last-writer-wins through {@link Replica}, so logged before the answer leaves) from a
 * {@link DigestIndex} of its store; and COUNTER_DIGEST / COUNTER_FETCH from its counters
 * ({@link CounterDigests}; the peer's merges arrive as COUNTER_MERGE, served by the counter coordinator).
 *
 * <p>Invariants: the index is rebuilt when the ring changed, or when the store changed and the index is at
 * least {@link #INDEX_AGE_MS_MIN} old (one pass over the store per second at most); repair's own writes
 * ({@link #apply}) keep a current index exact instead of making it stale. Pure, core thread only.
 */
final class RepairResponder {
    /**
     * The index is rebuilt when the store changed since it was built, but not more often than this: a busy
     * node pays one pass over its store per second at most, and a peer may see a snapshot up to this old
     * (it finds the rest in its next round).
     */
    static final long INDEX_AGE_MS_MIN = 1_000;

    private final Store store;
    private final Replica replica;
    private final CounterStore counters;
    private final Membership membership;
    private final int replicationFactor;
    private DigestIndex index;

    RepairResponder(Store store, Replica replica, CounterStore counters, Membership membership, int replicationFactor) {
        this.store = store;
        this.replica = replica;
        this.counters = counters;
        this.membership = membership;
        this.replicationFactor = replicationFactor;
    }

    /** A round just built a fresh index: serve from it too. */
    void serveFrom(DigestIndex fresh) {
        index = fresh;
    }

    /** The answer to a peer's repair request; null when {@code request} is not one. */
    Response serve(Request request, long nowMs) {
        if (request instanceof RepairMessages.Digest digest) {
            RangeTree tree = index(nowMs).range(store, digest.rangeStart(), digest.rangeEnd()).tree();
            List<Long> hashes = new ArrayList<>(digest.nodes().size() * RepairMessages.FANOUT);
            for (int node : digest.nodes()) for (long h : tree.children(digest.level(), node)) hashes.add(h);
            return new RepairMessages.Hashes(hashes);
        } else if (request instanceof RepairMessages.Fetch fetch) {
            return entries(fetch, nowMs);
        } else if (request instanceof RepairMessages.Push push) {
            int applied = 0;
            index(nowMs); // current before the pushes, so that they keep it exact
            for (Entry entry : push.entries()) if (apply(entry.key().validate(), Replica.versionOf(entry.version()))) applied++;
            return new RepairMessages.Pushed(applied);
        } else if (request instanceof StateTransferMessages.CounterDigest digest) {
            return CounterDigests.digest(counters, digest.start(), digest.end());
        } else if (request instanceof StateTransferMessages.CounterFetch fetch) {
            return CounterDigests.fetch(counters, fetch.start(), fetch.end(), fetch.after());
        }
        return null;
    }

    private RepairMessages.Entries entries(RepairMessages.Fetch fetch, long nowMs) {
        DigestIndex.RangeData range = index(nowMs).range(store, fetch.rangeStart(), fetch.rangeEnd());
        Map<Integer, List<Entry>> byLeaf = new HashMap<>();
        DigestIndex.entriesIn(store, range, new HashSet<>(fetch.leaves())).forEach((key, version) -> byLeaf
                .computeIfAbsent(RangeTree.leafOf(memdb.ring.Ring.position(key)), l -> new ArrayList<>())
                .add(new Entry(key, valueOf(version))));
        List<Entry> entries = new ArrayList<>();
        long bytes = 0;
        int served = 0;
        for (int leaf : fetch.leaves()) {
            if (served > 0 && bytes >= RepairMessages.ENTRY_BYTES_SOFT_MAX) break;
            List<Entry> inLeaf = byLeaf.remove(leaf); // remove: a leaf asked twice is served once
            if (inLeaf != null) {
                entries.addAll(inLeaf);
                bytes += inLeaf.stream().mapToLong(Entry::wireBytes).sum();
            }
            served++;
        }
        return new RepairMessages.Entries(served, entries);
    }

    /** Applies a version by last-writer-wins (logged), and keeps the index exact if it was current. */
    boolean apply(Key key, Versioned version) {
        Versioned previous = store.get(key);
        boolean wasCurrent = index != null && !index.stale(store);
        boolean applied = replica.apply(key, version).applied();
        if (applied && wasCurrent) index.applied(store, key, previous, version);
        return applied;
    }

    private DigestIndex index(long nowMs) {
        if (index == null || index.ringVersion() != membership.ringVersion()
                || (index.stale(store) && nowMs - index.builtAtMs() >= INDEX_AGE_MS_MIN)) {
            index = DigestIndex.build(store, membership.ring(), membership.ringVersion(), membership.selfId(),
                    replicationFactor, nowMs);
        }
        return index;
    }

    static Responses.Value valueOf(Versioned version) {
        return version.isTombstone() ? Responses.Value.tombstone(version.timestamp())
                : Responses.Value.present(version.timestamp(), version.value());
    }
}
