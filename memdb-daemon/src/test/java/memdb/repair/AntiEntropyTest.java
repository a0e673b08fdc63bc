package memdb.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import memdb.protocol.Key;
import memdb.protocol.RepairMessages;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

class AntiEntropyTest {
    private static final RepairSettings UNBOUNDED = new RepairSettings(0, 0, 5_000, 8);

    private static Versioned value(long lamport, int node) {
        return Versioned.value(new Timestamp(lamport, node), ("v" + lamport).getBytes());
    }

    @Test
    void identicalReplicasExchangeOnlyRootDigests() {
        RepairCluster cluster = new RepairCluster(2, 4, UNBOUNDED);
        for (int i = 0; i < 500; i++) {
            for (int id = 1; id <= 2; id++) cluster.store(id).apply(Key.of("k" + i), value(i + 1, 1));
        }
        RepairReport report = cluster.repair(1);
        assertTrue(report.complete());
        assertEquals(8, report.rangesCompared()); // 2 nodes x 4 vnodes, each range compared with the one peer
        assertEquals(0, report.rangesDiffering());
        assertEquals(0, report.keysDiffering());
        assertEquals(8, cluster.requestsSent, "one digest per range");
    }

    /** One differing entry in 2,000 is found by descending the tree: LEVELS digests, one fetch, one push. */
    @Test
    void oneDifferingEntryIsFoundInLogarithmicExchanges() {
        RepairCluster cluster = new RepairCluster(2, 1, UNBOUNDED);
        for (int i = 0; i < 2_000; i++) {
            for (int id = 1; id <= 2; id++) cluster.store(id).apply(Key.of("k" + i), value(i + 1, 1));
        }
        cluster.store(1).apply(Key.of("k77"), Versioned.tombstone(new Timestamp(10_000, 1)));
        RepairReport report = cluster.repair(1);
        assertTrue(report.complete());
        assertEquals(1, report.rangesDiffering());
        assertEquals(1, report.keysDiffering());
        assertEquals(1, report.entriesSent());
        assertEquals(0, report.entriesReceived());
        assertEquals(2 + (RepairMessages.LEVELS - 1) + 1 + 1, cluster.requestsSent, "root digest per range, inner digest, fetch, push");
        assertEquals(cluster.store(1).get(Key.of("k77")), cluster.store(2).get(Key.of("k77")));
    }

    /** Seeded property: random divergent replicas converge to the last-writer-wins merge (the reference) in two rounds. */
    @Test
    void replicasConvergeToTheNewestVersionOfEveryKey() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            RepairCluster cluster = new RepairCluster(3, 1 + random.nextInt(8), UNBOUNDED);
            Map<Key, Versioned> reference = new HashMap<>();
            int keys = 1 + random.nextInt(300);
            for (int i = 0; i < keys; i++) {
                Key key = Key.of("k" + i);
                for (int id = 1; id <= 3; id++) {
                    if (random.nextInt(3) == 0) continue;
                    Timestamp ts = new Timestamp(1 + random.nextInt(50), id);
                    Versioned v = random.nextInt(4) == 0 ? Versioned.tombstone(ts) : Versioned.value(ts, ("x" + ts).getBytes());
                    cluster.store(id).apply(key, v);
                    reference.merge(key, v, (a, b) -> b.timestamp().isAfter(a.timestamp()) ? b : a);
                }
            }
            int initiator = 1 + random.nextInt(3);
            assertTrue(cluster.repair(initiator).complete());
            assertTrue(cluster.repair(initiator).complete());
            for (int id = 1; id <= 3; id++) {
                Store store = cluster.store(id);
                assertEquals(reference.size(), store.entries(), "seed " + seed + " n" + id);
                for (Map.Entry<Key, Versioned> e : reference.entrySet()) {
                    assertEquals(e.getValue(), store.get(e.getKey()), "seed " + seed + " n" + id + " " + e.getKey());
                }
            }
            RepairReport quiet = cluster.repair(initiator);
            assertEquals(0, quiet.keysDiffering(), "seed " + seed + ": a third round finds nothing");
        }
    }

    /** A wiped replica gets every entry back; the bandwidth bound stretches the round over simulated time. */
    @Test
    void bandwidthBoundSpreadsTheRoundOverTime() {
        RepairCluster cluster = new RepairCluster(2, 4, new RepairSettings(0, 20_000, 5_000, 8));
        for (int i = 0; i < 1_000; i++) cluster.store(2).apply(Key.of("k" + i), Versioned.value(new Timestamp(i + 1, 2), new byte[100]));
        RepairReport report = cluster.repair(1);
        assertTrue(report.complete());
        assertEquals(1_000, report.entriesReceived());
        assertEquals(1_000, cluster.store(1).entries());
        long bytes = report.bytesSent() + report.bytesReceived();
        assertTrue(bytes > 100_000, "bytes " + bytes);
        // 20,000 B/s with a one-second burst: the round cannot be faster than (bytes - burst) / rate.
        assertTrue(report.durationMs() >= (bytes - 20_000) * 1000 / 20_000 - 100, report.toString());
    }

    /** A fetch answer stops at a leaf boundary past 2 MiB; the initiator fetches the other leaves next. */
    @Test
    void largeValuesAreFetchedInSeveralAnswers() {
        RepairCluster cluster = new RepairCluster(2, 1, UNBOUNDED);
        for (int i = 0; i < 48; i++) cluster.store(2).apply(Key.of("big" + i), Versioned.value(new Timestamp(i + 1, 2), new byte[700_000]));
        RepairReport report = cluster.repair(1);
        assertTrue(report.complete(), report::toString);
        assertEquals(48, report.entriesReceived());
        assertEquals(48, cluster.store(1).entries());
        int leavesWithKeys = (int) java.util.stream.IntStream.range(0, 48)
                .map(i -> RangeTree.leafOf(memdb.ring.Ring.position(Key.of("big" + i)))).distinct().count();
        int fetchesWithoutTheCap = (leavesWithKeys + AntiEntropy.LEAVES_PER_FETCH - 1) / AntiEntropy.LEAVES_PER_FETCH;
        assertTrue(cluster.requestsSent > 2 + 2 + fetchesWithoutTheCap + 3, "requests " + cluster.requestsSent);
    }
}
