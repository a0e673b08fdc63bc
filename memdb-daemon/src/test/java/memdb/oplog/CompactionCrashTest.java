package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at any step of the compaction swap leaves a directory that replays to the same state. Each
 * intermediate file set is built by hand: the directory before compaction (an older snapshot, sealed logs
 * 2 and 3, live log 4 still being written), plus the files of each step of compacting up to generation 3.
 */
class CompactionCrashTest {
    @TempDir
    Path tmp;

    private Path before;
    private Path newSnapshot;
    private Logs.Replayed expected;

    @BeforeEach
    void buildTheDirectoryBeforeCompaction() throws Exception {
        before = tmp.resolve("before");
        Logs.write(before, History.random(1, 300, 20), Logs.keepTombstones());          // log-1
        Compaction.offline(before, null, true, false, java.time.Duration.ofDays(100_000), () -> 0L); // snapshot-1
        Logs.write(before, History.random(2, 300, 20), Logs.keepTombstones());          // log-2
        Logs.sealLastSegment(before); // a boot appends to the last segment: each log of its own, as runs that sealed them
        Logs.write(before, History.random(3, 300, 20), Logs.keepTombstones());          // log-3
        Logs.sealLastSegment(before);
        Logs.write(before, History.random(4, 100, 20), Logs.keepTombstones());          // log-4, the live one
        assertEquals(List.of("LOCK", "log-00000000000000000002.seg", "log-00000000000000000003.seg",
                "log-00000000000000000004.seg", "snapshot-00000000000000000001.seg"), Logs.names(before));
        Path done = tmp.resolve("done");
        Logs.copyDir(before, done);
        CompactionJob.run(LogDirectory.scan(done), 3, done, new CompactionJob.Settings(true, -1, 0, false, false));
        newSnapshot = LogDirectory.snapshotPath(done, 3);
        expected = replayCopy(before, "expected");
    }

    private Logs.Replayed replayCopy(Path dir, String name) throws Exception {
        Path copy = tmp.resolve("replay-" + name);
        Logs.copyDir(dir, copy);
        return Logs.replay(copy, Logs.keepTombstones());
    }

    private void assertSameState(Path state, String step) throws Exception {
        Logs.Replayed replayed = replayCopy(state, step);
        assertEquals(expected.state(), replayed.state(), step);
        assertEquals(expected.report().sequenceHigh(), replayed.report().sequenceHigh(), step);
        assertEquals(expected.report().lamportHigh(), replayed.report().lamportHigh(), step);
    }

    private Path state(String step) throws Exception {
        Path dir = tmp.resolve("state-" + step);
        Logs.copyDir(before, dir);
        return dir;
    }

    @Test
    void everyStepOfTheSwapReplaysToTheSameState() throws Exception {
        byte[] snapshot = Files.readAllBytes(newSnapshot);
        // steps 1-2: the temp file partly written, then complete and fsynced, not yet renamed
        for (int length : new int[] {0, 10, snapshot.length / 2, snapshot.length}) {
            Path dir = state("tmp-" + length);
            Files.write(LogDirectory.tmpPath(LogDirectory.snapshotPath(dir, 3)), Arrays.copyOf(snapshot, length));
            assertSameState(dir, "temp file of " + length + " bytes");
        }
        // steps 3-6: renamed, then the replaced files deleted in every possible subset
        List<String> replaced = List.of("snapshot-00000000000000000001.seg", "log-00000000000000000002.seg", "log-00000000000000000003.seg");
        for (int mask = 0; mask < 1 << replaced.size(); mask++) {
            Path dir = state("renamed-" + mask);
            Files.write(LogDirectory.snapshotPath(dir, 3), snapshot);
            List<String> deleted = new ArrayList<>();
            for (int i = 0; i < replaced.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    Files.delete(dir.resolve(replaced.get(i)));
                    deleted.add(replaced.get(i));
                }
            }
            assertSameState(dir, "snapshot renamed, deleted " + deleted);
        }
    }

    @Test
    void openingACrashedDirectoryCleansUpAndKeepsTheLiveLog() throws Exception {
        Path dir = state("cleanup");
        Files.write(LogDirectory.snapshotPath(dir, 3), Files.readAllBytes(newSnapshot));
        Files.write(dir.resolve("log-00000000000000000005.seg.tmp"), new byte[] {1, 2, 3});
        Logs.replay(dir, Logs.keepTombstones()).state();
        assertEquals(List.of("LOCK", "log-00000000000000000004.seg", "snapshot-00000000000000000003.seg"), Logs.names(dir),
                "the temp file, the replaced snapshot and logs deleted; the live log appended to");
    }
}
