package memdb.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import memdb.oplog.OpLog;
import memdb.oplog.StoreReplay;
import memdb.oplog.format.FrameScanner;
import memdb.oplog.format.LogRecord;
import memdb.oplog.format.RecordCodec;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Op-log replay into a fresh store (the boot's loop, without the file and the JVM start): {@code records} SET
 * frames (keys key:%012d, 100-byte values) in a heap buffer, scanned and applied. {@code inPlace}: the boot's
 * path (frames read in place, straight into the store's entries, store sized up front); {@code viaRecords}:
 * every frame copied into a LogRecord first, into a store that grows as it fills (the path before session 3).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplayBenchmark extends BenchmarkDefaults {
    @Param({"100000"})
    public int records;

    private ByteBuffer frames;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] value = new byte[100];
        frames = ByteBuffer.allocate(records * RecordCodec.frameBytes(16, value.length));
        for (int i = 0; i < records; i++) {
            value[i % value.length] = (byte) i;
            LogRecord r = new LogRecord(i + 1, OpLog.Op.SET, new Timestamp(i + 1, 1), 0, Key.of(String.format("key:%012d", i)), value);
            frames.put(RecordCodec.encode(r));
        }
    }

    @Benchmark
    public Store inPlace() throws Exception {
        Store store = new Store(records);
        FrameScanner.scanFrames(frames, 0, frames.capacity(), false, false, new StoreReplay(store));
        return store;
    }

    @Benchmark
    public Store viaRecords() throws Exception {
        Store store = new Store();
        FrameScanner.scan(frames, 0, frames.capacity(), false, false, new StoreReplay(store)::accept);
        return store;
    }
}
