package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A config file with a bad value is refused with a message that names the file and the line of the value
 * (issue 9 item 6), as an unknown key or a malformed line is; a bad environment variable or flag names
 * the variable or the flag. Including the values checked against another setting: the message names the
 * line of whichever of the two was written.
 */
class ConfigBadValueTest {
    @TempDir
    Path dir;

    private String refusal(String text) throws IOException {
        return refusal(text.getBytes(StandardCharsets.UTF_8));
    }

    private String refusal(byte[] bytes) throws IOException {
        Path conf = Files.write(dir.resolve("memdb.conf"), bytes);
        ConfigResolver resolver = new ConfigResolver(dir.resolve("no-system.conf"), "/home/ann");
        String message = assertThrows(ConfigException.class, () -> resolver.resolve(Map.of(), Map.of(), conf)).getMessage();
        assertTrue(message.contains(conf.toString()), message);
        return message;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "port = abc|port|expected a whole number",
            "fsync = sometimes|fsync|always, everysec or no",
            "max-value-bytes = -1|max-value-bytes|0..2147483647",
            "node-id = 0|node-id|1..65535",
            "port = 99999999999999999999|port|expected a whole number",
            "force-recover = maybe|force-recover|true or false",
            "write-consistency = MOST|write-consistency|ONE, QUORUM or ALL",
            "log-level = loud|log-level|error, warn, info, debug or trace",
            "seeds = a:1,b|seeds|host:port",
            "bind =|bind|must not be empty",
            "data-dir =|data-dir|must not be empty",
            "auth-key =|auth-key|must not be empty",
            "vnodes = 1e3|vnodes|whole number",
            "busy-poll-us = -1|busy-poll-us|0..10000",
            "busy-poll-us = 10001|busy-poll-us|0..10000",
            "busy-poll-us = fast|busy-poll-us|expected a whole number"})
    void aBadValueNamesTheFileAndItsLine(String line, String key, String reason) throws IOException {
        String message = refusal("# a node\nadmin-port = 0\n\n" + line + "\nreplication-factor = 1\n");
        assertTrue(message.contains("line 4"), message);
        assertTrue(message.contains(key) && message.contains(reason), message);
    }

    @Test
    void aValueThatDoesNotFitTheDefaultOfAnotherSettingNamesItsOwnLine() throws IOException {
        String gossip = refusal("node-id = 3\ngossip-interval-ms = 50000\n");
        assertTrue(gossip.contains("gossip-interval-ms") && gossip.contains("line 2") && gossip.contains("down-after-ms"), gossip);
        String value = refusal("max-value-bytes = 100000000\n");
        assertTrue(value.contains("max-value-bytes") && value.contains("line 1") && value.contains("max-frame-bytes"), value);
    }

    @Test
    void whenBothAreWrittenTheCheckedOneIsNamed() throws IOException {
        String message = refusal("down-after-ms = 100\ngossip-interval-ms = 200\n");
        assertTrue(message.contains("down-after-ms") && message.contains("line 1") && message.contains("gossip-interval-ms 200"), message);
    }

    @Test
    void twoListenersOnOnePortAreRefusedNamingBoth() throws IOException {
        String admin = refusal("port = 17400\nadmin-port = 17400\n");
        assertTrue(admin.contains("admin-port") && admin.contains("line 2") && admin.contains("also the port"), admin);
        String resp = refusal("resp-port = 10080\n"); // the admin port's default
        assertTrue(resp.contains("resp-port") && resp.contains("line 1") && resp.contains("also the admin-port"), resp);
        ConfigResolver resolver = new ConfigResolver(dir.resolve("none"), "/home/ann");
        String flag = assertThrows(ConfigException.class,
                () -> resolver.resolve(Map.of("port", "17401", "resp-port", "17401"), Map.of(), null)).getMessage();
        assertTrue(flag.contains("option --resp-port") && flag.contains("also the port"), flag);
        ServerConfig anyFree = resolver.resolve(Map.of("port", "0", "admin-port", "0", "resp-port", "0"), Map.of(), null);
        assertEquals(0, anyFree.network().respPort(), "0 is a free port each, never a clash");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheirLine() throws IOException {
        String message = refusal(new byte[] {'p', 'o', 'r', 't', '=', '1', '\r', '\n', 'b', 'i', 'n', 'd', '=', (byte) 0xC3, '\n'});
        assertTrue(message.contains("line 2") && message.contains("UTF-8"), message);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstKey() throws IOException {
        Path conf = Files.write(dir.resolve("bom.conf"), "\uFEFFport = 12345\n".getBytes(StandardCharsets.UTF_8));
        ServerConfig config = new ConfigResolver(dir.resolve("none"), "/home/ann").resolve(Map.of(), Map.of(), conf);
        assertEquals(12345, config.network().port());
    }

    @Test
    void aBadEnvironmentVariableOrFlagNamesIt() {
        ConfigResolver resolver = new ConfigResolver(dir.resolve("none"), "/home/ann");
        String env = assertThrows(ConfigException.class, () -> resolver.resolve(Map.of(), Map.of("MEMDB_FSYNC", "sometimes"), null)).getMessage();
        assertTrue(env.contains("environment variable MEMDB_FSYNC"), env);
        String flag = assertThrows(ConfigException.class, () -> resolver.resolve(Map.of("max-value-bytes", "-1"), Map.of(), null)).getMessage();
        assertTrue(flag.contains("option --max-value-bytes"), flag);
        String other = assertThrows(ConfigException.class, () -> resolver.resolve(Map.of(), Map.of("MEMDB_GOSSIP_INTERVAL_MS", "9000"), null))
                .getMessage();
        assertTrue(other.contains("environment variable MEMDB_GOSSIP_INTERVAL_MS"), other);
    }

    /**
     * Every refusal reads like the command line's usage errors (the CLI prints it after "memdb: "): one line,
     * lower-case, no full stop, the setting, where it came from, and what is wanted (found by the session-8 walk:
     * "Invalid admin-port \"17400\" (from option --admin-port): ... port." beside "memdb: unknown option '--prot'").
     */
    @Test
    void everyRefusalReadsLikeACommandLineUsageError() throws IOException {
        ConfigResolver resolver = new ConfigResolver(dir.resolve("none"), "/home/ann");
        Path conf = dir.resolve("memdb.conf");
        assertEquals("invalid admin-port '17400' (from option --admin-port): it is also the port, and each listener needs its own port",
                assertThrows(ConfigException.class,
                        () -> resolver.resolve(Map.of("port", "17400", "admin-port", "17400"), Map.of(), null)).getMessage());
        assertEquals("invalid fsync 'sometimes' (from environment variable MEMDB_FSYNC): expected always, everysec or no",
                assertThrows(ConfigException.class, () -> resolver.resolve(Map.of(), Map.of("MEMDB_FSYNC", "sometimes"), null)).getMessage());
        assertEquals("invalid auth-key '***' (from option --auth-key): the key must not be empty",
                assertThrows(ConfigException.class, () -> resolver.resolve(Map.of("auth-key", ""), Map.of(), null)).getMessage());
        assertEquals("unknown setting 'prot' (from option --prot)",
                assertThrows(ConfigException.class, () -> resolver.resolve(Map.of("prot", "1"), Map.of(), null)).getMessage());
        assertEquals("cannot read config file " + conf + ": no such file",
                assertThrows(ConfigException.class, () -> resolver.resolve(Map.of(), Map.of(), conf)).getMessage());
        assertEquals("invalid port 'abc' (from " + conf + " line 2): expected a whole number", refusal("# node\nport = abc\n"));
        assertEquals("unknown setting 'prot' (from " + conf + " line 1)", refusal("prot = 1\n"));
        assertEquals("bad line (from " + conf + " line 1): expected 'key = value'", refusal("port 1\n"));
        assertEquals("setting port is given twice (again from " + conf + " line 2)", refusal("port = 1\nport = 2\n"));
        assertEquals("bad line (from " + conf + " line 1): expected UTF-8 text", refusal(new byte[] {'b', '=', (byte) 0xC3, '\n'}));
        for (String message : new String[] {refusal("down-after-ms = 100\ngossip-interval-ms = 200\n"),
                refusal("max-value-bytes = 100000000\n"), refusal("tls-ca = /etc/hosts\n")}) {
            assertTrue(message.matches("[a-z][^\\n]*\\(from " + java.util.regex.Pattern.quote(conf.toString()) + " line \\d\\): [^\\n]*[^.]"),
                    message);
        }
    }
}
