package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memdb log-compact} and {@code memdb log-dump}, through their library API. */
class OfflineToolsTest {
    @TempDir
    Path tmp;

    /** 10 overwrites per key of compressible values. */
    private Path overwrittenLog() throws Exception {
        Path dir = tmp.resolve("data");
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            long t = 0;
            for (int round = 0; round < 10; round++) {
                for (int k = 0; k < 100; k++) {
                    log.append(Op.SET, Key.of("key-" + k), new Timestamp(++t, 1), ("value " + round + " ").repeat(10).getBytes());
                }
            }
        }
        return dir;
    }

    @Test
    void dryRunReportsAndChangesNothing() throws Exception {
        Path dir = overwrittenLog();
        List<String> files = Logs.names(dir);
        CompactionReport dry = Compaction.offline(dir, null, true, true);
        assertEquals(files, Logs.names(dir));
        assertEquals(1000, dry.recordsBefore());
        assertEquals(100, dry.recordsAfter());
        assertTrue(dry.ratio() < 0.1, dry.lines().toString());
        assertTrue(dry.lines().get(0).contains("would write"), dry.lines().toString());
        CompactionReport real = Compaction.offline(dir, null, true, false);
        assertEquals(dry.bytesAfter(), real.bytesAfter(), "the dry run measures exactly");
        assertEquals(List.of("LOCK", "snapshot-00000000000000000001.seg"), Logs.names(dir));
    }

    @Test
    void outputElsewhereLeavesTheInputAndUncompressedIsBigger() throws Exception {
        Path dir = overwrittenLog();
        Path out = tmp.resolve("out");
        CompactionReport raw = Compaction.offline(dir, out, false, false);
        assertEquals(List.of("LOCK", "log-00000000000000000001.seg"), Logs.names(dir));
        assertEquals(Logs.replay(dir, Logs.options()).state(), Logs.replay(out, Logs.options()).state());
        CompactionReport lz4 = Compaction.offline(dir, null, true, true);
        assertTrue(lz4.bytesAfter() < raw.bytesAfter(), lz4.bytesAfter() + " vs " + raw.bytesAfter());
        IOException e = assertThrows(IOException.class, () -> Compaction.offline(dir, out, true, false));
        assertTrue(e.getMessage().contains("already holds a log"), e.getMessage());
    }

    @Test
    void dumpListsRecordsInReplayOrderWithoutChangingAnything() throws Exception {
        Path dir = tmp.resolve("dump");
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            log.append(Op.SET, Key.of("quote\"d"), new Timestamp(7, 3), new byte[5]);
            log.append(Op.DELETE, Key.of("gone"), new Timestamp(8, 4), new byte[0]);
        }
        List<String> files = Logs.names(dir);
        List<LogDump.Entry> entries = new ArrayList<>();
        ReplayReport report = LogDump.dump(dir, false, entries::add);
        assertEquals(2, report.recordsReplayed());
        assertEquals(files, Logs.names(dir));
        assertEquals("{\"key\":\"quote\\\"d\",\"op\":\"SET\",\"lamport\":7,\"nodeId\":3,\"sequence\":1,\"valueBytes\":5,"
                + "\"wallMillis\":5000000000,\"file\":\"log-00000000000000000001.seg\"}", entries.get(0).toJson());
        assertEquals(Op.DELETE, entries.get(1).op());
        assertEquals(0, entries.get(1).valueBytes());
        Compaction.offline(dir, null, true, false, Duration.ofDays(100_000), () -> 0L);
        entries.clear();
        LogDump.dump(dir, false, entries::add);
        assertEquals(2, entries.size(), "the dump reads compressed snapshots too");
    }

    /**
     * Keys and values are bytes (internal records such as Paxos state have binary keys): the JSON dump writes
     * each losslessly, as text when it is valid UTF-8, else as "key_base64"/"value_base64"; Jackson reads it back
     * to the exact bytes (found by the session-8 walk: a binary key came out with U+FFFD in place of its bytes).
     */
    @Test
    void theJsonDumpKeepsEveryByteOfKeysAndValues() throws Exception {
        Path dir = tmp.resolve("bytes");
        byte[] binaryKey = {(byte) 0xff, 0x00, 'A', '\\', '"', (byte) 0xc3};
        byte[] textKey = "clé ✓ \"q\"\n\u0000".getBytes(StandardCharsets.UTF_8);
        byte[] binaryValue = {0x00, (byte) 0x80, (byte) 0xfe, 0x7f};
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80}; // an encoded surrogate is not valid UTF-8
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            log.append(Op.SET, Key.wrap(binaryKey), new Timestamp(1, 1), binaryValue);
            log.append(Op.SET, Key.wrap(textKey), new Timestamp(2, 1), "välue".getBytes(StandardCharsets.UTF_8));
            log.append(Op.PAXOS_PROMISE, Key.wrap(surrogate), new Timestamp(3, 1), new byte[0]);
        }
        List<LogDump.Entry> entries = new ArrayList<>();
        LogDump.dump(dir, false, true, entries::add);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (LogDump.Entry e : entries) lines.add(json.readTree(e.toJson()));
        assertTrue(lines.get(0).has("key_base64") && !lines.get(0).has("key"), lines.get(0).toString());
        assertArrayEquals(binaryKey, bytes(lines.get(0), "key"));
        assertArrayEquals(binaryValue, bytes(lines.get(0), "value"));
        assertEquals("clé ✓ \"q\"\n\u0000", lines.get(1).get("key").asText());
        assertArrayEquals(textKey, bytes(lines.get(1), "key"));
        assertEquals("välue", lines.get(1).get("value").asText());
        assertArrayEquals(surrogate, bytes(lines.get(2), "key"));
        assertArrayEquals(new byte[0], bytes(lines.get(2), "value"));
        entries.clear();
        LogDump.dump(dir, false, entries::add);
        assertTrue(!json.readTree(entries.get(0).toJson()).has("value_base64"), "no values unless asked for");
    }

    /** A byte string back from the dump's JSON: NAME as UTF-8 text, or NAME_base64. */
    private static byte[] bytes(JsonNode line, String name) {
        if (line.has(name)) return line.get(name).asText().getBytes(StandardCharsets.UTF_8);
        return Base64.getDecoder().decode(line.get(name + "_base64").asText());
    }
}
