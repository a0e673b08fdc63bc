package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record's wall time (its age against the tombstone grace, the hints' expiry and the repair horizon) is its
 * batch's: the log reads the clock at the first append after a commit or an end of batch, not at every append
 * (the read was 1.5% of the core thread's time under pipelined SETs).
 */
class BatchWallTimeTest {
    @TempDir
    Path dir;

    @Test
    void theRecordsOfABatchShareOneClockReadAndTheNextBatchReadsItAgain() throws Exception {
        AtomicLong now = new AtomicLong(1_000);
        AtomicInteger reads = new AtomicInteger();
        OpLogOptions options = Logs.options().withWallClock(() -> {
            reads.incrementAndGet();
            return now.get();
        });
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {})) {
            int readsAtOpen = reads.get();
            for (int i = 0; i < 3; i++) {
                log.append(Op.SET, Key.of("a" + i), new Timestamp(i + 1, 1), new byte[] {1});
                now.addAndGet(10); // within the batch: not read again
            }
            log.commit(() -> {});
            assertEquals(readsAtOpen + 1, reads.get(), "one clock read for a batch of three records");
            log.commit(() -> {}); // a batch that appends nothing reads nothing
            assertEquals(readsAtOpen + 1, reads.get());
            now.set(5_000);
            log.append(Op.DELETE, Key.of("a0"), new Timestamp(4, 1), null);
            log.commit(() -> {});
            assertEquals(readsAtOpen + 2, reads.get(), "the next batch reads the clock again");
            now.set(9_000);
            log.append(Op.SET, Key.of("b"), new Timestamp(5, 1), new byte[] {2});
            log.endBatch(); // a batch that answers nobody: no commit, yet the next batch is a new one
            now.set(12_000);
            log.append(Op.SET, Key.of("c"), new Timestamp(6, 1), new byte[] {3});
            log.commit(() -> {});
            assertEquals(readsAtOpen + 4, reads.get());
        }
        List<LogRecord> records = new ArrayList<>();
        FileOpLog.open(dir, Logs.options(), records::add).close();
        assertEquals(List.of(1_000L, 1_000L, 1_000L, 5_000L, 9_000L, 12_000L), records.stream().map(LogRecord::wallMillis).toList());
    }
}
