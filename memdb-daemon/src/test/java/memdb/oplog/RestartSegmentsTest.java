package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A boot appends to the last log segment (its tail validated by replay, a torn tail cut off first) rather than
 * start a new one, so restarts do not pile up small segments for every later boot to replay one by one.
 */
class RestartSegmentsTest {
    private static final int RECORDS_PER_BOOT = 20;

    @TempDir
    Path dir;

    private static List<String> logs(Path dir) throws Exception {
        return Logs.names(dir).stream().filter(n -> n.startsWith("log-")).toList();
    }

    /** One boot: replays, appends {@code RECORDS_PER_BOOT} SETs of keys of its own, closes; returns what replay found. */
    private ReplayReport boot(int boot, boolean compactFirst) throws Exception {
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            if (compactFirst) log.compactNow().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < RECORDS_PER_BOOT; i++) {
                log.append(Op.SET, Key.of("boot" + boot + ":" + i), new Timestamp(boot * 1_000L + i + 1, 1), new byte[] {(byte) i});
            }
            return log.replayReport();
        }
    }

    @Test
    void manyRestartsKeepOneLogSegmentAndEveryRecord() throws Exception {
        int boots = 30;
        for (int boot = 0; boot < boots; boot++) {
            boot(boot, boot == 12); // one compaction on the way: its snapshot, then again one segment after it
            assertEquals(1, logs(dir).size(), "after boot " + boot + ": " + Logs.names(dir));
        }
        Logs.Replayed replayed = Logs.replay(dir, Logs.options());
        assertEquals(boots * RECORDS_PER_BOOT, replayed.report().sequenceHigh());
        assertEquals(boots * RECORDS_PER_BOOT, replayed.state().size());
        assertNull(replayed.report().tornTail());
        assertTrue(replayed.report().files().size() <= 2, "a snapshot and one log: " + replayed.report().files());
    }

    /** A crash cut the last record short: the next boot truncates it (as always), then appends right after the last good record. */
    @Test
    void aTornTailIsCutOffBeforeTheNextBootAppends() throws Exception {
        boot(0, false);
        Path segment = Logs.onlyLog(dir);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3); // inside the last frame
        }
        ReplayReport cut = boot(1, false);
        assertNotNull(cut.tornTail());
        assertEquals(RECORDS_PER_BOOT - 1, cut.recordsReplayed());

        Logs.Replayed replayed = Logs.replay(dir, Logs.options());
        assertNull(replayed.report().tornTail(), "the new records follow the last good one: no damage, nothing torn");
        assertTrue(replayed.report().dropped().isEmpty());
        assertEquals(2 * RECORDS_PER_BOOT - 1, replayed.report().recordsReplayed());
        assertEquals(2 * RECORDS_PER_BOOT - 1, replayed.state().size());
        assertTrue(replayed.state().containsKey("boot1:" + (RECORDS_PER_BOOT - 1)));
        assertTrue(!replayed.state().containsKey("boot0:" + (RECORDS_PER_BOOT - 1)), "the torn record is gone");
        assertEquals(List.of(segment.getFileName().toString()), logs(dir));
    }

    /** After a force-recover rewrite (which replaces every file with a snapshot) the boot starts a fresh segment. */
    @Test
    void aForceRecoverRewriteIsFollowedByAFreshSegment() throws Exception {
        boot(0, false);
        Path segment = Logs.onlyLog(dir);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(segment, bytes);
        try (FileOpLog log = FileOpLog.open(dir, Logs.options().withForceRecover(true), new Store())) {
            assertEquals(1, log.replayReport().dropped().size());
        }
        assertEquals(List.of("LOCK", "log-00000000000000000002.seg", "snapshot-00000000000000000001.seg"), Logs.names(dir));
        boot(1, false);
        assertEquals(List.of("log-00000000000000000002.seg"), logs(dir));
        assertEquals(2 * RECORDS_PER_BOOT - 1, Logs.replay(dir, Logs.options()).state().size());
    }
}
