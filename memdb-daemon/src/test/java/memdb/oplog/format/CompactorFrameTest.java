package memdb.oplog.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * Compaction reads frames in place ({@link Compactor#add(Frame)}, the online and offline path) and keeps
 * exactly what the plain rule keeps: per kind and key the first record of the newest timestamp. Seeded
 * random histories with keys of many lengths that share long prefixes (compared eight bytes at a time),
 * enough keys to grow the table, values that shrink and grow under one key, equal timestamps from one node and from several, and
 * acceptor state beside the data. The failing seed is in every message ({@code -Dmemdb.seed=N}).
 */
class CompactorFrameTest {
    private static final long BASE_SEED = Long.getLong("memdb.seed", 7007L);
    private static final byte[] NONE = new byte[0];

    @Test
    void framesInPlaceKeepWhatTheRuleKeeps() throws Exception {
        for (int c = 0; c < 400; c++) {
            long seed = BASE_SEED + c;
            List<LogRecord> history = history(new Random(seed));
            Compactor viaFrames = new Compactor();
            ByteBuffer frames = encode(history);
            FrameScanner.scanFrames(frames, 0, frames.limit(), false, false, viaFrames::add);
            Compactor viaRecords = new Compactor();
            history.forEach(viaRecords::add);

            List<LogRecord> kept = viaFrames.result(0, -1);
            assertEquals(reference(history), kept, "seed " + seed);
            assertEquals(viaRecords.result(0, -1), kept, "seed " + seed);
            assertEquals(history.size(), viaFrames.recordsIn(), "seed " + seed);
            assertEquals(viaRecords.lamportFloor(), viaFrames.lamportFloor(), "seed " + seed);
            assertEquals(viaRecords.sequenceFloor(), viaFrames.sequenceFloor(), "seed " + seed);
        }
    }

    @Test
    void anOverwriteWithAShorterValueKeepsOnlyItsOwnBytes() throws Exception {
        Key key = Key.of("k");
        List<LogRecord> history = List.of(
                new LogRecord(1, Op.SET, new Timestamp(1, 1), 0, key, new byte[] {1, 2, 3, 4}),
                new LogRecord(2, Op.SET, new Timestamp(2, 1), 0, key, new byte[] {9}),
                LogRecord.delete(3, new Timestamp(1, 2), 0, key)); // older: changes nothing
        Compactor compactor = new Compactor();
        ByteBuffer frames = encode(history);
        FrameScanner.scanFrames(frames, 0, frames.limit(), false, false, compactor::add);
        assertEquals(List.of(history.get(1)), compactor.result(0, -1));
    }

    /** The plain rule, as a map per kind: the first record of the newest timestamp per key; acceptor state only above the data; no CLOCK. */
    private static List<LogRecord> reference(List<LogRecord> history) {
        Map<Key, LogRecord> data = new HashMap<>();
        Map<Key, LogRecord> promises = new HashMap<>();
        Map<Key, LogRecord> accepts = new HashMap<>();
        for (LogRecord r : history) {
            if (r.op() == Op.CLOCK) continue; // only the lamport floor keeps it
            Map<Key, LogRecord> kind = r.op() == Op.PAXOS_PROMISE ? promises : r.op() == Op.PAXOS_ACCEPT ? accepts : data;
            kind.merge(r.key(), r, (held, incoming) -> incoming.timestamp().isAfter(held.timestamp()) ? incoming : held);
        }
        List<LogRecord> kept = new ArrayList<>(data.values());
        for (Map<Key, LogRecord> state : List.of(promises, accepts)) {
            state.values().forEach(r -> {
                LogRecord d = data.get(r.key());
                if (d == null || r.timestamp().isAfter(d.timestamp())) kept.add(r);
            });
        }
        kept.sort(Comparator.comparingLong(LogRecord::sequence));
        return kept;
    }

    private static List<LogRecord> history(Random random) {
        int keySpace = 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
        int records = 1 + random.nextInt(600);
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            Key key = key(random.nextInt(keySpace));
            Timestamp ts = new Timestamp(random.nextInt(40), 1 + random.nextInt(3)); // equal timestamps are common
            int pick = random.nextInt(10);
            long sequence = i + 1;
            if (pick < 5) {
                byte[] value = new byte[random.nextInt(random.nextBoolean() ? 4 : 64)];
                random.nextBytes(value);
                out.add(new LogRecord(sequence, Op.SET, ts, i, key, value));
            } else if (pick < 7) {
                out.add(LogRecord.delete(sequence, ts, i, key));
            } else if (pick < 8) {
                out.add(new LogRecord(sequence, Op.PAXOS_PROMISE, ts, i, key, NONE));
            } else if (pick < 9) {
                byte[] accepted = memdb.paxos.AcceptorStates.acceptRecord(ts, new byte[] {(byte) i});
                out.add(new LogRecord(sequence, Op.PAXOS_ACCEPT, ts, i, key, accepted));
            } else {
                out.add(new LogRecord(sequence, Op.CLOCK, ts, i, key, NONE));
            }
        }
        return out;
    }

    /** Key n: its bits spelled in "Aa" and "BB", cut to a length of its own, and n: 2 to 22 bytes. */
    private static Key key(int n) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 8; bit++) s.append((n >> bit & 1) == 0 ? "Aa" : "BB");
        return Key.of(s.substring(0, n % 17) + n);
    }

    private static ByteBuffer encode(List<LogRecord> records) {
        ByteBuffer out = ByteBuffer.allocate(records.stream().mapToInt(RecordCodec::frameBytes).sum());
        records.forEach(r -> out.put(RecordCodec.encode(r)));
        return out.flip();
    }
}
