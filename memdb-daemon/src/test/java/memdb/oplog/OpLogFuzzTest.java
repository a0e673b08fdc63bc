package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import memdb.cluster.ClusterLog;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.crdt.PnSlot;
import memdb.oplog.format.HintPayload;
import memdb.oplog.format.LogRecord;
import memdb.oplog.format.SegmentHeader;
import memdb.paxos.AcceptorStates;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the op-log reader with Jazzer: a whole data directory (segment files, log
 * and snapshot, raw or LZ4 blocks; see {@link LogImage} for how one byte string becomes a directory) is
 * opened as a node opens it at boot, replaying into the node's consumers (store, counters, cluster log,
 * hints, Paxos acceptor states).
 *
 * <p>The contract: open either succeeds or fails with a {@link LogCorruptionException} naming one of the
 * files and an offset inside it, never anything else (no other exception, no OutOfMemoryError); with
 * force-recover it fails only for a file whose header is bad; only the last log file may end torn; and
 * after a successful open the directory is clean: opening it again without force-recover replays the same
 * store with no torn tail and nothing dropped.
 *
 * <p>Plain {@code mvn test} replays the saved inputs in
 * {@code src/test/resources/memdb/oplog/OpLogFuzzTestInputs/directory/} (real directories written by the
 * log, and every crash found). To fuzz: {@code tools/fuzz.sh} or
 * <pre>JAZZER_FUZZ=1 mvn -o -pl memdb-daemon -am test -Dtest=OpLogFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class OpLogFuzzTest {
    static {
        // As in EnvelopeDecoderFuzzTest: replaying needs no instrumentation hooks; fuzzing keeps them.
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    private static final LogWriter.Syncer NO_SYNC = channel -> {};
    private static final AtomicLong RUNS = new AtomicLong();
    private static Path base;

    @BeforeAll
    static void createBase() throws IOException {
        Path shm = Path.of("/dev/shm");
        base = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "memdb-oplog-fuzz")
                : Files.createTempDirectory("memdb-oplog-fuzz");
    }

    @AfterAll
    static void deleteBase() throws IOException {
        deleteTree(base);
    }

    @FuzzTest(maxDuration = "10m")
    void directory(byte[] input) throws IOException {
        LogImage.Image image = LogImage.unpack(input);
        Path dir = base.resolve("run-" + RUNS.incrementAndGet());
        Files.createDirectories(dir);
        try {
            LogImage.writeTo(image, dir);
            check(dir, image.forceRecover());
        } finally {
            deleteTree(dir);
        }
    }

    /** What a node rebuilds from its log at boot (Node.start's replay sink). */
    static final class Boot implements Consumer<LogRecord> {
        final Store store = new Store();
        final CounterStore counters = new CounterStore();
        final StoreReplay storeReplay = new StoreReplay(store, counters);
        final ClusterLog.Restored clusterLog = new ClusterLog.Restored();
        final List<LogRecord> hints = new ArrayList<>();
        final AcceptorStates acceptorStates = new AcceptorStates();

        @Override
        public void accept(LogRecord r) {
            if (r.op() == OpLog.Op.CLUSTER) clusterLog.add(r.key(), r.timestamp().lamport(), r.value());
            else storeReplay.accept(r);
            if (r.op() == OpLog.Op.HINT) hints.add(r);
            acceptorStates.restore(r.op(), r.key(), r.timestamp(), r.value());
        }

        Map<String, Versioned> contents() {
            acceptorStates.prune(store);
            return History.contents(store);
        }
    }

    static void check(Path dir, boolean forceRecover) throws IOException {
        Map<Path, Long> sizes = sizes(dir);
        List<LogDirectory.Segment> logs = LogDirectory.scan(dir).logs();
        Boot first = new Boot();
        ReplayReport report;
        try (FileOpLog log = FileOpLog.open(dir, Logs.options().withForceRecover(forceRecover), first, NO_SYNC)) {
            report = log.replayReport();
        } catch (LogCorruptionException e) {
            Long size = sizes.get(e.file());
            assertNotNull(size, () -> "the error names a file of the log: " + e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= size, () -> "the offset lies inside the file: " + e.getMessage());
            assertTrue(e.getMessage().contains(e.file().toString()) && e.getMessage().contains("offset " + e.offset()), e::getMessage);
            if (forceRecover) {
                assertTrue(e.offset() < SegmentHeader.BYTES, () -> "force-recover gets past anything but a bad header: " + e.getMessage());
            }
            return;
        }
        if (!forceRecover) assertTrue(report.dropped().isEmpty(), "only force-recover drops damage");
        if (report.tornTail() != null) {
            assertEquals(logs.get(logs.size() - 1).path(), report.tornTail().file(), "only the last log file ends torn");
        }
        Boot second = new Boot();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), second, NO_SYNC)) {
            ReplayReport again = log.replayReport();
            assertNull(again.tornTail(), "a torn tail is cut for good");
            assertTrue(again.dropped().isEmpty(), "force-recover rewrote the log without its damage");
        }
        assertEquals(first.contents(), second.contents(), "reopening replays the same store");
        assertEquals(first.counters.size(), second.counters.size(), "reopening replays the same counters");
    }

    private static Map<Path, Long> sizes(Path dir) throws IOException {
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) sizes.put(p, Files.size(p));
        }
        return sizes;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Regenerates the seed inputs (a tool, not a test): run this class's main with the inputs directory,
     * {@code <abs path>/OpLogFuzzTestInputs}, as its argument, on the test class path. Each seed is a real
     * directory written by {@link FileOpLog} (every op, with valid payloads), compacted or not, intact or damaged.
     */
    public static void main(String[] args) throws IOException {
        Path seeds = Files.createDirectories(Path.of(args[0], "directory"));
        Path work = Files.createTempDirectory("memdb-oplog-seeds");
        try {
            Path plain = writeAllOps(work.resolve("plain"), false, false);
            Files.write(seeds.resolve("log-every-op"), LogImage.packDirectory(plain, 0));
            Files.write(seeds.resolve("snapshot-lz4-then-log"), LogImage.packDirectory(writeAllOps(work.resolve("lz4"), true, true), 0));
            Files.write(seeds.resolve("snapshot-raw-then-log"), LogImage.packDirectory(writeAllOps(work.resolve("raw"), true, false), 0));
            Path log = Logs.onlyLog(plain);
            byte[] bytes = Files.readAllBytes(log);
            Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 5));
            Files.write(seeds.resolve("torn-tail"), LogImage.packDirectory(plain, 0));
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(log, bytes);
            Files.write(seeds.resolve("flipped-bit"), LogImage.packDirectory(plain, 0));
            Files.write(seeds.resolve("flipped-bit-force-recover"), LogImage.packDirectory(plain, LogImage.FORCE_RECOVER));
            // The same records as a build-mode snapshot (the fuzzer's edits to frames then reach LZ4 and the payloads).
            byte[] frames = java.util.Arrays.copyOfRange(bytes, SegmentHeader.BYTES, bytes.length);
            byte[] header = new SegmentHeader(SegmentHeader.FLAG_BLOCKS | SegmentHeader.FLAG_LZ4, 1, 0, 0, 0).encode();
            byte[] body = new byte[header.length + frames.length];
            System.arraycopy(header, 0, body, 0, header.length);
            System.arraycopy(frames, 0, body, header.length, frames.length);
            Files.write(seeds.resolve("build-lz4-snapshot"), LogImage.pack(0, List.of(new LogImage.File(true, 1, 2, body))));
            Files.write(seeds.resolve("empty-directory"), new byte[] {0});
        } finally {
            deleteTree(work);
        }
    }

    /** A directory with a record of every op, each with a payload its reader accepts; optionally compacted. */
    private static Path writeAllOps(Path dir, boolean compact, boolean compress) throws IOException {
        OpLogOptions options = Logs.options().withCompress(compress);
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            Timestamp ts = new Timestamp(10, 1);
            log.append(OpLog.Op.SET, Key.of("a"), ts, new byte[] {1, 2, 3});
            log.append(OpLog.Op.SET, Key.of("b"), new Timestamp(11, 2), new byte[0]);
            log.append(OpLog.Op.DELETE, Key.of("a"), new Timestamp(12, 1), new byte[0]);
            log.append(OpLog.Op.CLOCK, Key.of("clock"), new Timestamp(1000, 1), new byte[0]);
            log.append(OpLog.Op.COUNTER, Key.of("c"), new Timestamp(13, 1),
                    PnCounter.of(new Timestamp(13, 1), List.of(new PnSlot(7, 2, 5, 1, List.of(99L)))).toBytes());
            log.append(OpLog.Op.COUNTER_SLOT, CounterStore.SLOT_RECORD_KEY, new Timestamp(14, 1), new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
            log.append(OpLog.Op.PAXOS_PROMISE, Key.of("p"), new Timestamp(15, 1), new byte[0]);
            log.append(OpLog.Op.PAXOS_ACCEPT, Key.of("p"), new Timestamp(16, 1), AcceptorStates.acceptRecord(new Timestamp(16, 1), new byte[] {4}));
            log.append(OpLog.Op.HINT, Key.of("h"), new Timestamp(17, 1), HintPayload.of(2, false, new byte[] {5}).encode());
            log.append(OpLog.Op.CLUSTER, ClusterLog.memberKey(2), new Timestamp(18, 1),
                    ClusterLog.member(new Member(2, "127.0.0.1", 10001, 1, 1, Member.Status.NORMAL, false)));
            log.append(OpLog.Op.CLUSTER, ClusterLog.rangeKey(42), new Timestamp(19, 1), ClusterLog.rangeDone(42));
            log.commit(() -> {});
            if (compact) {
                log.compactNow().join();
                log.append(OpLog.Op.SET, Key.of("after"), new Timestamp(20, 1), new byte[] {6});
                log.commit(() -> {});
            }
        }
        return dir;
    }
}
