package memdb.oplog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.crdt.PnSlot;
import memdb.oplog.LogDirectory.Segment;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.protocol.Utf8;

/**
 * Read-only listing of a data directory's log, in replay order ({@code memdb log-dump}).
 *
 * <p>Invariants: takes no lock and changes no file (a torn tail is reported, not truncated), so it can
 * inspect the log of a running node; it reads exactly the files replay would read.
 */
public final class LogDump {
    private LogDump() {}

    /** One record; its value bytes only when the dump was asked for them (else null). */
    public record Entry(Path file, long sequence, Op op, Key key, Timestamp timestamp, long wallMillis, int valueBytes,
                        String detail, byte[] value) {
        public Entry(Path file, long sequence, Op op, Key key, Timestamp timestamp, long wallMillis, int valueBytes) {
            this(file, sequence, op, key, timestamp, wallMillis, valueBytes, null, null);
        }

        /**
         * One JSON object on one line: key, op, lamport, nodeId, sequence, valueBytes, wallMillis, file; a
         * COUNTER record adds "counter" (its value and slots), a COUNTER_SLOT record "slotId"; a dump with
         * values adds the value last. The key and the value are byte strings, written losslessly as
         * {@link #bytesField} says: "key" (or "key_base64"), "value" (or "value_base64").
         */
        public String toJson() {
            return "{" + bytesField("key", key.bytes()) + ",\"op\":\"" + op + "\",\"lamport\":" + timestamp.lamport()
                    + ",\"nodeId\":" + timestamp.nodeId() + ",\"sequence\":" + sequence + ",\"valueBytes\":" + valueBytes
                    + ",\"wallMillis\":" + wallMillis + ",\"file\":" + quote(file.getFileName().toString())
                    + (detail == null ? "" : "," + detail) + (value == null ? "" : "," + bytesField("value", value)) + "}";
        }
    }

    /**
     * A byte string as a JSON field, losslessly (docs/oplog.md, "log-dump"): {@code "NAME":"text"} when the bytes
     * are valid UTF-8 (the text's UTF-8 encoding is exactly the bytes), else {@code "NAME_base64":"..."}, the bytes
     * in standard base64 with padding (RFC 4648 §4). Keys of internal records (Paxos state, counter slots) and
     * values may be any bytes.
     */
    static String bytesField(String name, byte[] bytes) {
        return Utf8.decode(bytes).map(text -> "\"" + name + "\":" + quote(text))
                .orElseGet(() -> "\"" + name + "_base64\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"");
    }

    /** The JSON fields that say what a counter record holds (null for other records). */
    static String detail(LogRecord r) {
        if (r.op() == Op.COUNTER_SLOT) return "\"slotId\":" + CounterStore.slotIdOf(r.value());
        if (r.op() != Op.COUNTER) return null;
        PnCounter counter = PnCounter.fromBytes(r.value());
        StringBuilder slots = new StringBuilder();
        for (PnSlot slot : counter.slots()) {
            if (slots.length() > 0) slots.append(',');
            slots.append("{\"slotId\":").append(slot.slotId()).append(",\"sequence\":").append(slot.sequence())
                    .append(",\"increments\":").append(slot.increments()).append(",\"decrements\":").append(slot.decrements())
                    .append(",\"operations\":").append(slot.recentOperations().size()).append('}');
        }
        return "\"counter\":{\"value\":" + counter.value() + ",\"slots\":[" + slots + "]}";
    }

    /** Hands every record to {@code sink}, file by file, without the values; returns what the read found. */
    public static ReplayReport dump(Path dir, boolean forceRecover, Consumer<Entry> sink) throws IOException {
        return dump(dir, forceRecover, false, sink);
    }

    /** As above, with each record's value bytes in its entry when {@code values}. */
    public static ReplayReport dump(Path dir, boolean forceRecover, boolean values, Consumer<Entry> sink) throws IOException {
        List<Segment> files = LogDirectory.scan(dir).replayOrder();
        List<ReplayReport> parts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Segment segment = files.get(i);
            Consumer<LogRecord> toEntry = r -> sink.accept(new Entry(segment.path(), r.sequence(), r.op(), r.key(),
                    r.timestamp(), r.wallMillis(), r.value().length, detail(r), values ? r.value() : null));
            parts.add(Replayer.replay(List.of(segment), i == files.size() - 1, forceRecover, false, toEntry));
        }
        return merge(parts);
    }

    private static ReplayReport merge(List<ReplayReport> parts) {
        long records = 0, lamport = 0, sequence = 0, bytes = 0;
        List<Path> files = new ArrayList<>();
        List<ReplayReport.Damage> dropped = new ArrayList<>();
        ReplayReport.Damage torn = null;
        for (ReplayReport p : parts) {
            records += p.recordsReplayed();
            lamport = Math.max(lamport, p.lamportHigh());
            sequence = Math.max(sequence, p.sequenceHigh());
            bytes += p.bytesRead();
            files.addAll(p.files());
            dropped.addAll(p.dropped());
            if (p.tornTail() != null) torn = p.tornTail();
        }
        return new ReplayReport(records, lamport, sequence, bytes, files, torn, dropped);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
