package memdb.oplog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import memdb.bench.BenchmarkDefaults;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One op-log compaction (the online compactor's job, {@link CompactionJob}) as a dry run, so that every
 * invocation reads the same log: {@code records} SETs with 16-byte keys and 16-byte values (redis-benchmark's
 * {@code -d 16} shape) on keys drawn at random (seeded) from {@code keys} distinct ones, as {@code -r} does,
 * written by a {@link FileOpLog} with fsync=no. {@code keys=1} is redis-benchmark without {@code -r}: one key
 * overwritten, so all but one record is dropped. (Keys in order, 0, 1, 2, ..., would flatter a table whose
 * hash keeps neighbouring keys in neighbouring slots, as {@code HashMap}'s does for such keys.)
 * The score is per compaction; divide by {@code records} for the cost of one record read.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompactionBenchmark extends BenchmarkDefaults {
    @Param({"1000000"})
    public int records;

    @Param({"1", "100000"})
    public int keys;

    private Path dir;
    private CompactionJob.Settings settings;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("memdb-compaction-bench");
        byte[] value = new byte[16];
        Key[] keyOf = new Key[keys];
        for (int k = 0; k < keys; k++) keyOf[k] = Key.of(String.format("key:%012d", k));
        try (FileOpLog log = FileOpLog.open(dir, OpLogOptions.defaults().withFsync(FsyncPolicy.NO)
                .withCompactionThresholdBytes(0), record -> {})) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            for (int i = 0; i < records; i++) {
                value[i & 15] = (byte) i;
                log.append(OpLog.Op.SET, keyOf[random.nextInt(keys)], new Timestamp(i + 1, 1), value);
            }
        }
        settings = new CompactionJob.Settings(true, -1, System.currentTimeMillis(), false, true);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        deleteTree(dir);
    }

    @Benchmark
    public CompactionReport compact() throws IOException {
        LogDirectory.Layout layout = LogDirectory.scan(dir);
        return CompactionJob.run(layout, layout.highestGeneration(), dir, settings);
    }
}
