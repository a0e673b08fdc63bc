package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import memdb.oplog.FileOpLog;
import memdb.oplog.OpLog;
import memdb.oplog.OpLogOptions;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memdb log-dump} of keys and values that are any bytes (internal records such as Paxos state have binary
 * keys): the JSON lines give them back exactly (text when UTF-8, else "key_base64"/"value_base64"), and the
 * columns escape what is not printable so that each byte can be read back (found by the session-8 walk: a
 * binary key came out mangled).
 */
class LogDumpCommandTest {
    private static final byte[] BINARY_KEY = {(byte) 0xff, 0x00, 'A', '\\', (byte) 0xe2, (byte) 0x9c};
    private static final byte[] TEXT_KEY = "clé ✓\\x41".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BINARY_VALUE = {0x00, (byte) 0x80, (byte) 0xfe};

    @TempDir
    Path dir;

    private final Cli offline = new Cli(Map.of("NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);

    private Path log() throws Exception {
        Path data = dir.resolve("db");
        try (FileOpLog log = FileOpLog.open(data, OpLogOptions.defaults(), new Store())) {
            log.append(OpLog.Op.SET, Key.wrap(BINARY_KEY), new Timestamp(1, 1), BINARY_VALUE);
            log.append(OpLog.Op.SET, Key.wrap(TEXT_KEY), new Timestamp(2, 1), "v\n".getBytes(StandardCharsets.UTF_8));
            log.append(OpLog.Op.PAXOS_PROMISE, Key.wrap(new byte[] {(byte) 0xc3, '\n', (byte) 0xc2, (byte) 0x85}), new Timestamp(3, 1),
                    new byte[0]);
        }
        return data;
    }

    @Test
    void theJsonLinesGiveBackEveryByte() throws Exception {
        Cli.Result dump = offline.run("log-dump", log().toString(), "-o", "json", "--values");
        assertEquals(0, dump.exitCode(), dump.stderr());
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new String(dump.stdoutBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        JsonNode binary = json.readTree(lines.get(0));
        assertEquals(Base64.getEncoder().encodeToString(BINARY_KEY), binary.get("key_base64").asText());
        assertArrayEquals(BINARY_VALUE, Base64.getDecoder().decode(binary.get("value_base64").asText()));
        JsonNode text = json.readTree(lines.get(1));
        assertArrayEquals(TEXT_KEY, text.get("key").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals("v\n", text.get("value").asText());
        assertTrue(json.readTree(lines.get(2)).has("key_base64"), lines.get(2));
    }

    @Test
    void theColumnsEscapeEveryByteThatIsNotPrintableUnambiguously() throws Exception {
        Cli.Result dump = offline.run("log-dump", log().toString(), "-o", "text");
        assertEquals(0, dump.exitCode(), dump.stderr());
        List<String> lines = new String(dump.stdoutBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(1).endsWith("  \\xff\\x00A\\\\\\xe2\\x9c"), lines.get(1));
        assertTrue(lines.get(2).endsWith("  clé ✓\\\\x41"), lines.get(2)); // the text \x41, not the byte 0x41
        assertTrue(lines.get(3).endsWith("  \\xc3\\x0a\\xc2\\x85"), lines.get(3)); // U+0085, a control, byte by byte
    }

    @Test
    void valuesAreForJsonOutputOnly() throws Exception {
        Cli.Result refused = offline.run("log-dump", log().toString(), "-o", "table", "--values");
        assertEquals(2, refused.exitCode());
        assertEquals("memdb: --values lists the values in JSON only: add -o json (text and table show each value's size)\n",
                refused.stderr());
    }
}
