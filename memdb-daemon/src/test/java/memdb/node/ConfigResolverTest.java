package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import memdb.oplog.FsyncPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
    @TempDir
    Path dir;

    private ConfigResolver resolverWithoutSystemFile() {
        return new ConfigResolver(dir.resolve("etc-memdb.conf"), "/home/ann");
    }

    private Path file(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    private static String messageOf(Runnable action) {
        return assertThrows(ConfigException.class, action::run).getMessage();
    }

    @Test
    void withNothingConfiguredTheDefaultsMakeAUsableSingleNode() {
        ServerConfig config = resolverWithoutSystemFile().resolve(Map.of(), Map.of(), null);
        assertEquals(1, config.nodeId());
        assertEquals(new NetworkConfig("127.0.0.1", 10000, 10080, List.of()), config.network());
        assertEquals(LimitsConfig.defaults(), config.limits());
        assertEquals(new LimitsConfig(1_048_576, 8_388_608, 10_000, 300_000), config.limits());
        assertEquals(new StorageConfig(Path.of("/home/ann/.local/share/memdb"), FsyncPolicy.EVERYSEC), config.storage());
        assertEquals(Optional.empty(), config.authKey());
    }

    @Test
    void theDataDirFollowsXdgDataHomeWhenItIsAbsolute() {
        ConfigResolver resolver = resolverWithoutSystemFile();
        assertEquals(Path.of("/data/xdg/memdb"),
                resolver.resolve(Map.of(), Map.of("XDG_DATA_HOME", "/data/xdg"), null).storage().dataDir());
        assertEquals(Path.of("/home/ann/.local/share/memdb"),
                resolver.resolve(Map.of(), Map.of("XDG_DATA_HOME", "relative"), null).storage().dataDir());
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverTheFileWhichWinsOverDefaults() throws IOException {
        Path conf = file("memdb.conf", "port = 1001", "node-id = 11", "bind = 10.0.0.1");
        Map<String, String> env = Map.of("MEMDB_PORT", "1002", "MEMDB_NODE_ID", "12");
        Map<String, String> flags = Map.of("port", "1003");
        ConfigResolver resolver = resolverWithoutSystemFile();

        ServerConfig all = resolver.resolve(flags, env, conf);
        assertEquals(1003, all.network().port());
        assertEquals(12, all.nodeId());
        assertEquals("10.0.0.1", all.network().bind());
        assertEquals(10080, all.network().adminPort());

        assertEquals(1002, resolver.resolve(Map.of(), env, conf).network().port());
        assertEquals(1001, resolver.resolve(Map.of(), Map.of(), conf).network().port());
        assertEquals(10000, resolver.resolve(Map.of(), Map.of(), null).network().port());
    }

    @Test
    void everySettingHasItsEnvironmentVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("MEMDB_NODE_ID", "3");
        env.put("MEMDB_BIND", "0.0.0.0");
        env.put("MEMDB_ADMIN_PORT", "9090");
        env.put("MEMDB_DATA_DIR", "/var/lib/memdb");
        env.put("MEMDB_AUTH_KEY", "secret");
        env.put("MEMDB_SEEDS", "a:1, b:2");
        env.put("MEMDB_MAX_VALUE_BYTES", "10");
        env.put("MEMDB_MAX_FRAME_BYTES", "2000");
        env.put("MEMDB_MAX_CONNECTIONS", "5");
        env.put("MEMDB_IDLE_TIMEOUT_MS", "0");
        env.put("MEMDB_FSYNC", "always");
        ServerConfig config = resolverWithoutSystemFile().resolve(Map.of(), env, null);
        assertEquals(3, config.nodeId());
        assertEquals(new NetworkConfig("0.0.0.0", 10000, 9090, List.of(new HostPort("a", 1), new HostPort("b", 2))), config.network());
        assertEquals(new LimitsConfig(10, 2000, 5, 0), config.limits());
        assertEquals(new StorageConfig(Path.of("/var/lib/memdb"), FsyncPolicy.ALWAYS), config.storage());
        assertEquals(Optional.of("secret"), config.authKey());
    }

    @Test
    void theSystemFileIsReadWhenPresentAndAnExplicitFileReplacesIt() throws IOException {
        Path system = file("system.conf", "port = 2001", "node-id = 21");
        Path explicit = file("explicit.conf", "port = 3001");
        ConfigResolver resolver = new ConfigResolver(system, "/home/ann");
        ServerConfig fromSystem = resolver.resolve(Map.of(), Map.of(), null);
        assertEquals(2001, fromSystem.network().port());
        assertEquals(21, fromSystem.nodeId());
        ServerConfig fromExplicit = resolver.resolve(Map.of(), Map.of(), explicit);
        assertEquals(3001, fromExplicit.network().port());
        assertEquals(1, fromExplicit.nodeId());
    }

    @Test
    void commentsAndBlankLinesAreIgnoredAndSpacesTrimmed() throws IOException {
        Path conf = file("memdb.conf", "# a node", "", "   # indented comment", "  fsync=no  ", "seeds =  h1:10000,[::1]:10001");
        ServerConfig config = resolverWithoutSystemFile().resolve(Map.of(), Map.of(), conf);
        assertEquals(FsyncPolicy.NO, config.storage().fsync());
        assertEquals(List.of(new HostPort("h1", 10000), new HostPort("::1", 10001)), config.network().seeds());
    }

    @Test
    void aBadValueInTheFileNamesTheFileAndLine() throws IOException {
        Path conf = file("memdb.conf", "# comment", "node-id = 2", "port = ten");
        String message = messageOf(() -> resolverWithoutSystemFile().resolve(Map.of(), Map.of(), conf));
        assertTrue(message.contains(conf + " line 3"), message);
        assertTrue(message.contains("port"), message);
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedWithFileAndLine() throws IOException {
        Path conf = file("memdb.conf", "port = 1", "colour = blue");
        String message = messageOf(() -> resolverWithoutSystemFile().resolve(Map.of(), Map.of(), conf));
        assertTrue(message.contains("colour") && message.contains(conf + " line 2"), message);
    }

    @Test
    void aLineWithoutEqualsOrARepeatedKeyIsRefused() throws IOException {
        Path noEquals = file("a.conf", "port 10000");
        assertTrue(messageOf(() -> resolverWithoutSystemFile().resolve(Map.of(), Map.of(), noEquals)).contains("line 1"));
        Path twice = file("b.conf", "port = 1", "port = 2");
        assertTrue(messageOf(() -> resolverWithoutSystemFile().resolve(Map.of(), Map.of(), twice)).contains("line 2"));
    }

    @Test
    void aMissingExplicitFileIsRefused() {
        Path missing = dir.resolve("nope.conf");
        assertTrue(messageOf(() -> resolverWithoutSystemFile().resolve(Map.of(), Map.of(), missing)).contains(missing.toString()));
    }

    @Test
    void badFlagsAndEnvironmentValuesNameTheirSource() {
        ConfigResolver resolver = resolverWithoutSystemFile();
        assertTrue(messageOf(() -> resolver.resolve(Map.of("node-id", "0"), Map.of(), null)).contains("--node-id"));
        assertTrue(messageOf(() -> resolver.resolve(Map.of("node-id", "65536"), Map.of(), null)).contains("1..65535"));
        assertTrue(messageOf(() -> resolver.resolve(Map.of(), Map.of("MEMDB_PORT", "70000"), null)).contains("MEMDB_PORT"));
        assertTrue(messageOf(() -> resolver.resolve(Map.of("fsync", "sometimes"), Map.of(), null)).contains("always, everysec or no"));
        assertTrue(messageOf(() -> resolver.resolve(Map.of("seeds", "hostonly"), Map.of(), null)).contains("host:port"));
        assertTrue(messageOf(() -> resolver.resolve(Map.of("verbose", "1"), Map.of(), null)).contains("--verbose"));
        assertTrue(messageOf(() -> resolver.resolve(Map.of("auth-key", ""), Map.of(), null)).contains("auth-key"));
    }

    @Test
    void aFrameLimitTooSmallForTheValueLimitIsRefused() {
        String message = messageOf(() -> resolverWithoutSystemFile().resolve(Map.of("max-frame-bytes", "1048576"), Map.of(), null));
        assertTrue(message.contains("max-frame-bytes") && message.contains("max-value-bytes"), message);
    }

    @Test
    void unsetFlagsAndEmptyEnvironmentVariablesCountAsNotGiven() {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", null);
        ServerConfig config = resolverWithoutSystemFile().resolve(flags, Map.of("MEMDB_PORT", "", "HOME", "/x"), null);
        assertEquals(10000, config.network().port());
        assertEquals(7, resolverWithoutSystemFile().resolve(Map.of("--node-id", "7"), Map.of(), null).nodeId());
    }

    @Test
    void theAuthKeyNeverAppearsInMessagesOrToString() {
        ServerConfig config = resolverWithoutSystemFile().resolve(Map.of("auth-key", "s3cr3t-key"), Map.of(), null);
        assertFalse(config.toString().contains("s3cr3t-key"));
        Setting setting = new Setting("s3cr3t-key", "option --auth-key");
        assertFalse(setting.invalid(ConfigKey.AUTH_KEY, "bad").getMessage().contains("s3cr3t-key"));
    }

    @Test
    void theRespPortIsOffByDefaultAndSetLikeAnyPort() throws IOException {
        ConfigResolver resolver = resolverWithoutSystemFile();
        assertEquals(0, resolver.resolve(Map.of(), Map.of(), null).network().respPort());
        assertEquals(6380, resolver.resolve(Map.of("resp-port", "6380"), Map.of(), null).network().respPort());
        assertEquals(6381, resolver.resolve(Map.of(), Map.of("MEMDB_RESP_PORT", "6381"), null).network().respPort());
        assertEquals(6382, resolver.resolve(Map.of(), Map.of(), file("resp.conf", "resp-port = 6382")).network().respPort());
        String message = messageOf(() -> resolver.resolve(Map.of("resp-port", "70000"), Map.of(), null));
        assertTrue(message.contains("resp-port") && message.contains("0..65535"), message);
    }

    @Test
    void theCoreLoopPollsFiftyMicrosecondsByDefaultAndZeroSleepsAtOnce() throws IOException {
        ConfigResolver resolver = resolverWithoutSystemFile();
        assertEquals(50, resolver.resolve(Map.of(), Map.of(), null).network().busyPollMicros());
        assertEquals(0, resolver.resolve(Map.of("busy-poll-us", "0"), Map.of(), null).network().busyPollMicros());
        assertEquals(200, resolver.resolve(Map.of(), Map.of("MEMDB_BUSY_POLL_US", "200"), null).network().busyPollMicros());
        assertEquals(10_000, resolver.resolve(Map.of(), Map.of(), file("poll.conf", "busy-poll-us = 10000")).network().busyPollMicros());
    }

    @Test
    void environmentVariableNamesFollowTheKeys() {
        assertEquals("MEMDB_NODE_ID", ConfigKey.NODE_ID.environmentVariable());
        assertEquals("MEMDB_IDLE_TIMEOUT_MS", ConfigKey.IDLE_TIMEOUT_MS.environmentVariable());
    }
}
