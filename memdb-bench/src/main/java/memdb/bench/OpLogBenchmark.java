package memdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import memdb.oplog.FileOpLog;
import memdb.oplog.FsyncPolicy;
import memdb.oplog.OpLog;
import memdb.oplog.OpLogOptions;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The op log (memdb.oplog.FileOpLog) with fsync=no in a fresh temporary directory: {@code batch} SET
 * records (16-byte key, 100-byte value) appended, then one commit, waiting until the commit has run its
 * callback — what the core loop does per batch. The score is per batch; divide by {@code batch} for a record.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpLogBenchmark extends BenchmarkDefaults {
    @Param({"1", "64"})
    public int batch;

    private Path dir;
    private FileOpLog log;
    private final Key key = Key.of("key:000000000001");
    private final byte[] value = new byte[100];
    private long lamport;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("memdb-oplog-bench");
        log = FileOpLog.open(dir, OpLogOptions.defaults().withFsync(FsyncPolicy.NO).withCompactionThresholdBytes(0),
                record -> {});
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        deleteTree(dir);
    }

    @Benchmark
    public long appendAndCommit() throws InterruptedException {
        long sequence = 0;
        for (int i = 0; i < batch; i++) sequence = log.append(OpLog.Op.SET, key, new Timestamp(++lamport, 1), value);
        CountDownLatch committed = new CountDownLatch(1);
        log.commit(committed::countDown);
        committed.await();
        return sequence;
    }
}
