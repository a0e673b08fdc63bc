package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import memdb.oplog.FsyncPolicy;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live configuration: which keys change live, validation of live values, the snapshot swap, SIGHUP reload. */
class RunningConfigTest {
    @TempDir
    Path dir;

    private final List<LiveSettings> applied = new CopyOnWriteArrayList<>();

    private Path conf(String... lines) throws IOException {
        return Files.write(dir.resolve("memdb.conf"), List.of(lines));
    }

    private RunningConfig running(Map<String, String> flags, Path file) {
        ConfigLoader loader = new ConfigLoader(flags, Map.of(), file, new ConfigResolver(dir.resolve("none.conf"), "/home/ann"));
        return new RunningConfig(loader.get(), loader, settings -> {
            applied.add(settings);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void exactlyTheSettingsSafeToChangeOnARunningNodeAreLive() {
        Set<ConfigKey> live = EnumSet.noneOf(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) if (key.live()) live.add(key);
        assertEquals(EnumSet.of(ConfigKey.FSYNC, ConfigKey.COMPACTION_THRESHOLD_BYTES, ConfigKey.TOMBSTONE_GRACE_SECONDS,
                ConfigKey.WRITE_CONSISTENCY, ConfigKey.READ_CONSISTENCY, ConfigKey.LOG_LEVEL, ConfigKey.SLOW_REQUEST_MS), live);
        for (ConfigKey key : live) assertTrue(ConfigValues.raw(ServerConfigs.defaults(), key) != null);
    }

    @Test
    void everyConfigWrittenBackAsTextParsesToTheSameConfig() throws IOException {
        Path file = conf("node-id = 7", "seeds = 10.0.0.1:10000,10.0.0.2:10000", "fsync = ALWAYS", "log-level = debug",
                "slow-request-ms = 250", "read-consistency = quorum", "auth-key = s3cret", "force-recover = yes");
        ServerConfig config = running(Map.of(), file).current();
        assertEquals(config, ResolvedConfig.embedded(config).with(Map.of()), "embedded settings round-trip");
        assertEquals(LogLevel.DEBUG, config.logging().level());
        assertEquals(250, config.logging().slowRequestMs());
        assertEquals(ConfigValues.HIDDEN, ConfigValues.shown(config, ConfigKey.AUTH_KEY), "the key is never shown");
    }

    @Test
    void sourcesFollowPrecedenceAndALiveChangeShowsAsLive() throws IOException {
        RunningConfig config = running(Map.of("port", "10005"), conf("fsync = no", "port = 9"));
        assertEquals(ConfigSource.FLAG, config.entry(ConfigKey.PORT).source());
        assertEquals("10005", config.entry(ConfigKey.PORT).value());
        assertEquals(ConfigSource.FILE, config.entry(ConfigKey.FSYNC).source());
        assertEquals(ConfigSource.DEFAULT, config.entry(ConfigKey.LOG_LEVEL).source());
        assertEquals("info", config.entry(ConfigKey.LOG_LEVEL).value());
        assertEquals(ConfigKey.values().length, config.entries().size());

        config.set(ConfigKey.FSYNC, " Always ").join();
        assertEquals(ConfigSource.LIVE, config.entry(ConfigKey.FSYNC).source());
        assertEquals("always", config.entry(ConfigKey.FSYNC).value(), "shown normalized");
        assertEquals(FsyncPolicy.ALWAYS, config.current().storage().fsync());
        assertEquals(FsyncPolicy.ALWAYS, applied.get(applied.size() - 1).fsync(), "handed to the node");
    }

    @Test
    void eachLiveKeyChangesAndIsAppliedAsOneNewSnapshot() throws IOException {
        RunningConfig config = running(Map.of(), null);
        ServerConfig before = config.current();
        config.set(ConfigKey.WRITE_CONSISTENCY, "all").join();
        config.set(ConfigKey.READ_CONSISTENCY, "QUORUM").join();
        config.set(ConfigKey.COMPACTION_THRESHOLD_BYTES, "1048576").join();
        config.set(ConfigKey.TOMBSTONE_GRACE_SECONDS, "60").join();
        config.set(ConfigKey.LOG_LEVEL, "warn").join();
        config.set(ConfigKey.SLOW_REQUEST_MS, "100").join();
        LiveSettings last = applied.get(applied.size() - 1);
        assertEquals(new LiveSettings(FsyncPolicy.EVERYSEC, 1_048_576, 60, Consistency.ALL, Consistency.QUORUM, LogLevel.WARN, 100), last);
        assertEquals(6, applied.size(), "one snapshot per change");
        assertEquals(before.network(), config.current().network(), "the rest is unchanged");
    }

    @Test
    void aBadLiveValueIsRefusedWithTheParsersMessageAndChangesNothing() {
        RunningConfig config = running(Map.of(), null);
        ServerConfig before = config.current();
        String fsync = assertThrows(ConfigException.class, () -> config.set(ConfigKey.FSYNC, "sometimes")).getMessage();
        assertEquals("invalid fsync 'sometimes' (from the admin API): expected always, everysec or no", fsync);
        String slow = assertThrows(ConfigException.class, () -> config.set(ConfigKey.SLOW_REQUEST_MS, "-1")).getMessage();
        assertTrue(slow.contains("slow-request-ms") && slow.contains("0..3600000"), slow);
        assertTrue(assertThrows(ConfigException.class, () -> config.set(ConfigKey.LOG_LEVEL, "loud")).getMessage()
                .contains("expected error, warn, info, debug or trace"));
        assertEquals(before, config.current());
        assertTrue(applied.isEmpty(), "nothing applied");
    }

    @Test
    void aRestartOnlyKeyCannotBeSetLive() {
        RunningConfig config = running(Map.of(), null);
        for (ConfigKey key : ConfigKey.values()) {
            if (key.live()) continue;
            String message = assertThrows(IllegalArgumentException.class, () -> config.set(key, "1")).getMessage();
            assertTrue(message.contains("needs a restart"), message);
        }
    }

    @Test
    void sighupAppliesChangedLiveKeysDropsLiveChangesAndHoldsRestartOnlyOnes() throws IOException {
        Path file = conf("fsync = no", "port = 10001");
        RunningConfig config = running(Map.of(), file);
        config.set(ConfigKey.LOG_LEVEL, "debug").join();
        conf("fsync = always", "port = 10002", "slow-request-ms = 50");

        RunningConfig.ReloadReport report = config.reload();
        assertNull(report.refusal());
        assertEquals(List.of(ConfigKey.FSYNC, ConfigKey.LOG_LEVEL, ConfigKey.SLOW_REQUEST_MS), report.applied());
        assertEquals(List.of(ConfigKey.PORT), report.restartNeeded());
        assertEquals(FsyncPolicy.ALWAYS, config.current().storage().fsync());
        assertEquals(LogLevel.INFO, config.current().logging().level(), "the live change is dropped: the file rules again");
        assertEquals(10001, config.current().network().port(), "a restart-only key keeps its running value");
        assertEquals("10002", config.entry(ConfigKey.PORT).restartPending());
        assertEquals(ConfigSource.FILE, config.entry(ConfigKey.FSYNC).source());
        assertEquals(new LiveSettings(FsyncPolicy.ALWAYS, config.current().storage().compactionThresholdBytes(),
                86_400, Consistency.QUORUM, Consistency.ONE, LogLevel.INFO, 50), applied.get(applied.size() - 1));
    }

    @Test
    void aBadFileIsRefusedNamingTheLineAndTheRunningConfigStays() throws IOException {
        Path file = conf("fsync = no");
        RunningConfig config = running(Map.of(), file);
        config.set(ConfigKey.SLOW_REQUEST_MS, "10").join();
        ServerConfig before = config.current();
        int appliedBefore = applied.size();
        conf("# comment", "fsync = always", "fsync-ish = 3");

        RunningConfig.ReloadReport report = config.reload();
        assertEquals("unknown setting 'fsync-ish' (from " + file + " line 3)", report.refusal());
        assertEquals(before, config.current());
        assertEquals(ConfigSource.LIVE, config.entry(ConfigKey.SLOW_REQUEST_MS).source(), "live changes survive a refused reload");
        assertEquals(appliedBefore, applied.size());

        conf("fsync = often");
        assertTrue(config.reload().refusal().contains("line 1"));
        assertEquals(before, config.current());
    }

    @Test
    void anEmbeddedNodeHasNothingToReload() {
        RunningConfig config = new RunningConfig(ResolvedConfig.embedded(ServerConfigs.defaults()), null,
                settings -> CompletableFuture.completedFuture(null));
        assertFalse(config.reload().refusal().isEmpty());
        assertEquals(ConfigSource.EMBEDDED, config.entry(ConfigKey.PORT).source());
    }

    /** Configs for tests. */
    static final class ServerConfigs {
        static ServerConfig defaults() {
            return new ConfigResolver(null, "/home/ann").resolve(Map.of(), Map.of(), null);
        }
    }
}
