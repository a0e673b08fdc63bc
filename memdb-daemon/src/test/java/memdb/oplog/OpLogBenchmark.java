package memdb.oplog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;

/**
 * Figures for docs/oplog-benchmark.md (not a unit test): write throughput per fsync policy, replay speed,
 * compaction of a log with 10 overwrites per key. Keys 16 bytes, values 100 bytes, one core thread that
 * appends and commits each record (so group commit shows under ALWAYS).
 * Run: java -cp <classes> memdb.oplog.OpLogBenchmark DIR RECORDS
 */
public final class OpLogBenchmark {
    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int records = Integer.parseInt(args[1]);
        for (FsyncPolicy policy : FsyncPolicy.values()) {
            Path dir = base.resolve("write-" + policy.configName());
            int n = policy == FsyncPolicy.ALWAYS ? records / 4 : records;
            long start = System.nanoTime();
            long fsyncs;
            try (FileOpLog log = FileOpLog.open(dir, OpLogOptions.defaults().withFsync(policy).withCompactionThresholdBytes(0), new Store())) {
                write(log, n, n);
                fsyncs = log.fsyncCount();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("write fsync=%-8s %,d records in %.2f s: %,.0f records/s, %,d fsyncs%n", policy.configName(), n, seconds, n / seconds, fsyncs);
        }
        Path dir = base.resolve("write-no");
        long start = System.nanoTime();
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, OpLogOptions.defaults().withCompactionThresholdBytes(0), store)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("replay %,d records (%,d bytes) to ready in %.2f s: %,.0f records/s%n",
                    log.replayReport().recordsReplayed(), log.replayReport().bytesRead(), seconds, log.replayReport().recordsReplayed() / seconds);
        }
        Path overwritten = base.resolve("overwritten");
        try (FileOpLog log = FileOpLog.open(overwritten, OpLogOptions.defaults().withFsync(FsyncPolicy.NO).withCompactionThresholdBytes(0), new Store())) {
            write(log, records, records / 10);
        }
        start = System.nanoTime();
        CompactionReport report = Compaction.offline(overwritten, null, true, false);
        System.out.printf("compaction in %.2f s: %s%n", (System.nanoTime() - start) / 1e9, report.lines().get(0));
        System.out.println("data under " + base + " (" + Files.exists(base) + ")");
    }

    private static void write(FileOpLog log, int records, int keys) {
        Random random = new Random(1);
        byte[] value = new byte[100];
        for (int i = 0; i < records; i++) {
            random.nextBytes(value);
            Key key = Key.of(String.format("key:%012d", i % keys));
            log.append(Op.SET, key, new Timestamp(i + 1, 1), value.clone());
            log.commit(() -> {});
        }
    }
}
