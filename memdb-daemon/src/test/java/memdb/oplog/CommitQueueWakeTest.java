package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * Under everysec and no the core thread writes its own batches ({@link CommitQueue#takeRecords}); that must not
 * wake the writer thread waiting for work: it has none, and waking it on every batch cost 1.5-2 µs of CPU per
 * unpipelined SET (session 9). Counted with the JVM's per-thread count of waits: a waiting thread woken for
 * nothing waits again, and the count goes up by one each time.
 */
class CommitQueueWakeTest {
    @Test
    void theCoreThreadsOwnWritesDoNotWakeTheWaitingWriter() throws Exception {
        CommitQueue queue = new CommitQueue(0, 1 << 20, FsyncPolicy.EVERYSEC);
        Thread writer = new Thread(() -> {
            try {
                queue.awaitWork(0); // until closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "writer");
        writer.start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(1);
        long waitsBefore = threads.getThreadInfo(writer.getId()).getWaitedCount();

        for (int i = 0; i < 200; i++) {
            queue.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), new byte[] {1}, 0);
            assertTrue(queue.route(false) == CommitQueue.Route.WRITE_HERE, "the core thread writes its own batch");
            queue.recycle(queue.takeRecords());
        }
        Thread.sleep(50); // a woken writer would have waited again by now
        long wokenFor = threads.getThreadInfo(writer.getId()).getWaitedCount() - waitsBefore;

        queue.close();
        writer.join(10_000);
        assertTrue(wokenFor <= 2, "the writer was woken " + wokenFor + " times by 200 batches the core thread wrote itself");
    }
}
