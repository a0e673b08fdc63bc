package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import memdb.oplog.format.Compactor;
import memdb.oplog.format.LogRecord;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: replaying a compacted log gives the state of replaying the original, over random histories
 * of set / delete / overwrite by several nodes. Seeded; the failing seed is in every message.
 */
class CompactionPropertyTest {
    private static final long BASE_SEED = Long.getLong("memdb.seed", 4242L);

    @TempDir
    Path tmp;

    /** The pure rule, many cases: newest per key, every tombstone kept = the full replay, exactly. */
    @Test
    void compactorKeepsExactlyTheReplayedState() {
        for (int c = 0; c < 2000; c++) {
            long seed = BASE_SEED + c;
            Random random = new Random(seed);
            History history = History.random(seed, 1 + random.nextInt(200), 1 + random.nextInt(25));
            Compactor compactor = new Compactor();
            history.records.forEach(compactor::add);
            Store store = new Store();
            compactor.result(0, -1).forEach(new StoreReplay(store));
            assertEquals(history.expected(), History.contents(store), "seed " + seed);
            assertEquals(history.lamportHigh(), compactor.lamportFloor(), "seed " + seed);
            assertEquals(history.records.size(), compactor.sequenceFloor(), "seed " + seed);
        }
    }

    /** With a grace: live values never change; only tombstones older than the grace go. */
    @Test
    void graceOnlyDropsOldTombstones() {
        for (int c = 0; c < 500; c++) {
            long seed = BASE_SEED + 10_000 + c;
            History history = History.random(seed, 300, 20);
            long now = history.records.get(history.records.size() - 1).wallMillis() + 1;
            long grace = 1000L * new Random(seed).nextInt(300);
            Compactor compactor = new Compactor();
            history.records.forEach(compactor::add);
            Store store = new Store();
            compactor.result(now, grace).forEach(new StoreReplay(store));
            Map<String, Versioned> expected = history.expected();
            Map<String, Versioned> compacted = History.contents(store);
            assertEquals(History.liveValues(expected), History.liveValues(compacted), "seed " + seed);
            for (LogRecord r : history.records) {
                Versioned full = expected.get(r.key().toString());
                if (full.isTombstone() && full.timestamp().equals(r.timestamp())) {
                    boolean young = now - r.wallMillis() <= grace;
                    assertEquals(young, compacted.containsKey(r.key().toString()), "seed " + seed + " " + r);
                }
            }
        }
    }

    /** End to end through the files: the offline compactor's output replays to the original state. */
    @Test
    void compactedDirectoryReplaysToTheOriginalState() throws Exception {
        for (int c = 0; c < 25; c++) {
            long seed = BASE_SEED + 20_000 + c;
            Random random = new Random(seed);
            History history = History.random(seed, 1 + random.nextInt(600), 1 + random.nextInt(40));
            Path original = tmp.resolve("o" + c);
            Logs.write(original, history, Logs.keepTombstones());
            Path compacted = tmp.resolve("c" + c);
            Logs.copyDir(original, compacted);
            boolean compress = random.nextBoolean();
            CompactionReport report = Compaction.offline(compacted, null, compress, false, Duration.ofDays(100_000), () -> 0L);
            assertEquals(history.records.size(), report.recordsBefore(), "seed " + seed);
            Logs.Replayed before = Logs.replay(original, Logs.keepTombstones());
            Logs.Replayed after = Logs.replay(compacted, Logs.keepTombstones());
            assertEquals(history.expected(), after.state(), "seed " + seed);
            assertEquals(before.state(), after.state(), "seed " + seed);
            assertEquals(before.report().sequenceHigh(), after.report().sequenceHigh(), "seed " + seed);
            assertEquals(before.report().lamportHigh(), after.report().lamportHigh(), "seed " + seed);
            assertTrue(report.recordsAfter() <= report.recordsBefore(), "seed " + seed);
        }
    }
}
