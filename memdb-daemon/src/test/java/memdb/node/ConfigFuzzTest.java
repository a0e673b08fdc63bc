package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the configuration with Jazzer: a config file, environment variables and flags
 * go through {@link ConfigResolver} (ConfigFile and SettingsReader), then live changes through
 * {@link RunningConfig#set} (what {@code PUT /v1/config/KEY} and SIGHUP use).
 *
 * <p>Input: up to four parts split at NUL bytes: the config file's bytes; {@code MEMDB_X=value} lines (the
 * environment); {@code name=value} lines (flags); {@code key=value} lines (live changes). A seed that is a
 * plain config file is the file alone.
 *
 * <p>The contract: resolving either gives a config or throws a {@link ConfigException}, nothing else; the
 * refusal names where the bad setting was written — the file and a line that exists, the environment
 * variable, or the flag (so never just "the default") — and never shows the auth key; a config that resolves writes
 * back ({@link ConfigValues#raw}) to a file that resolves to the same config. A live change either applies
 * or is a ConfigException naming the admin API, and the value in force then writes back to itself.
 *
 * <p>Plain {@code mvn test} replays {@code src/test/resources/memdb/node/ConfigFuzzTestInputs/settings/}.
 * To fuzz: {@code tools/fuzz.sh} or
 * <pre>JAZZER_FUZZ=1 mvn -o -pl memdb-daemon -am test -Dtest=ConfigFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ConfigFuzzTest {
    static {
        // As in EnvelopeDecoderFuzzTest: replaying needs no instrumentation hooks; fuzzing keeps them.
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    private static final Pattern FILE_LINE = Pattern.compile(" line (\\d+)");
    private static Path dir;
    /** Held so that the quieter level stays: every live change logs a line otherwise. */
    private static final java.util.logging.Logger RUNNING_CONFIG_LOG = java.util.logging.Logger.getLogger(RunningConfig.class.getName());

    @BeforeAll
    static void createDir() throws IOException {
        RUNNING_CONFIG_LOG.setLevel(java.util.logging.Level.WARNING);
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "memdb-config-fuzz")
                : Files.createTempDirectory("memdb-config-fuzz");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.delete(p);
        }
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "10m")
    void settings(byte[] input) throws IOException {
        List<byte[]> parts = split(input);
        Path file = Files.write(dir.resolve("memdb.conf"), parts.get(0));
        Map<String, String> env = pairs(parts, 1);
        Map<String, String> flags = pairs(parts, 2);
        ConfigResolver resolver = new ConfigResolver(dir.resolve("no-system-file.conf"), "/home/fuzz");
        ResolvedConfig resolved;
        try {
            resolved = resolver.resolveWithSources(flags, env, file);
        } catch (ConfigException e) {
            checkRefusal(e.getMessage(), file, parts.get(0), env, flags);
            return;
        }
        assertWritesBack(resolver, resolved.config());
        applyLiveChanges(resolver, resolved, pairs(parts, 3));
    }

    /** The refusal names the place the user wrote the bad setting, and never the auth key. */
    private static void checkRefusal(String message, Path file, byte[] fileBytes, Map<String, String> env, Map<String, String> flags) {
        secret(env.get(ConfigKey.AUTH_KEY.environmentVariable()), message);
        secret(flags.get(ConfigKey.AUTH_KEY.key()), message);
        if (message.contains(file.toString())) {
            if (message.startsWith("cannot read config file")) return;
            Matcher m = FILE_LINE.matcher(message.substring(message.indexOf(file.toString()) + file.toString().length()));
            assertTrue(m.lookingAt(), () -> "names the line: " + message);
            long line = Long.parseLong(m.group(1));
            long lines = new String(fileBytes, StandardCharsets.UTF_8).lines().count();
            assertTrue(line >= 1 && line <= Math.max(lines, 1), () -> "line " + line + " of " + lines + ": " + message);
            return;
        }
        boolean namesEnv = env.keySet().stream().anyMatch(name -> message.contains("environment variable " + name));
        boolean namesFlag = flags.keySet().stream().map(f -> f.startsWith("--") ? f.substring(2) : f)
                .anyMatch(name -> message.contains("option --" + name));
        assertTrue(namesEnv || namesFlag, () -> "names the file and line, the variable or the flag: " + message);
    }

    private static void secret(String key, String message) {
        if (key != null && key.strip().length() >= 12) {
            assertFalse(message.contains(key.strip()), () -> "the auth key appears in: " + message);
        }
    }

    /** Every value in force, written as a config file, resolves to the same config. */
    private static void assertWritesBack(ConfigResolver resolver, ServerConfig config) throws IOException {
        List<String> lines = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            String raw = ConfigValues.raw(config, key);
            if (raw != null) lines.add(key.key() + " = " + raw);
        }
        Path written = Files.write(dir.resolve("written.conf"), lines);
        assertEquals(config, resolver.resolve(Map.of(), Map.of(), written), () -> "written back as " + lines);
    }

    private static void applyLiveChanges(ConfigResolver resolver, ResolvedConfig resolved, Map<String, String> changes) throws IOException {
        RunningConfig running = new RunningConfig(resolved, null, settings -> CompletableFuture.completedFuture(null));
        for (Map.Entry<String, String> change : changes.entrySet()) {
            ConfigKey key = ConfigKey.byKey(change.getKey()).orElse(null);
            if (key == null || !key.live()) continue;
            try {
                running.set(key, change.getValue()).join();
            } catch (ConfigException e) {
                assertTrue(e.getMessage().contains("(from the admin API)"), e::getMessage);
                continue;
            }
            ServerConfig now = running.current();
            running.set(key, ConfigValues.raw(now, key)).join();
            assertEquals(now, running.current(), () -> key + " writes back to itself");
            assertWritesBack(resolver, now);
        }
    }

    private static List<byte[]> split(byte[] input) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == 0) {
                parts.add(Arrays.copyOfRange(input, from, i));
                from = i + 1;
            }
        }
        return parts;
    }

    /** {@code name=value} lines of part {@code index} (empty when there is no such part). */
    private static Map<String, String> pairs(List<byte[]> parts, int index) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (index >= parts.size()) return pairs;
        for (String line : new String(parts.get(index), StandardCharsets.UTF_8).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) pairs.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return pairs;
    }

    /**
     * Regenerates the seed inputs (a tool, not a test): run this class's main with the inputs directory,
     * {@code <abs path>/ConfigFuzzTestInputs}, as its argument, on the test class path.
     */
    public static void main(String[] args) throws IOException {
        Path seeds = Files.createDirectories(Path.of(args[0], "settings"));
        seed(seeds, "operations-guide-example", String.join("\n", "# /etc/memdb/memdb.conf", "node-id = 1", "bind = 10.0.0.1",
                "seeds = 10.0.0.2:10000,10.0.0.3:10000", "data-dir = /var/lib/memdb", "fsync = everysec", "log-level = info",
                "slow-request-ms = 200", ""));
        StringBuilder every = new StringBuilder("# every setting, at its default\r\n");
        ServerConfig defaults = new ConfigResolver(null, "/home/fuzz").resolve(Map.of(), Map.of(), null);
        for (ConfigKey key : ConfigKey.values()) {
            String raw = ConfigValues.raw(defaults, key);
            every.append(key.key()).append(" = ").append(raw == null ? "a-long-enough-auth-key" : raw).append("\r\n");
        }
        seed(seeds, "every-setting-crlf", every.toString());
        seed(seeds, "file-env-flags-live", "node-id = 2\nport = 10001\n\0MEMDB_FSYNC=always\nMEMDB_VNODES=16\n\0"
                + "--read-consistency=QUORUM\nmax-value-bytes=1000\n\0fsync=no\nlog-level=debug\nslow-request-ms=5\n"
                + "write-consistency=ALL\ncompaction-threshold-bytes=0\ntombstone-grace-seconds=60\n");
        seed(seeds, "bad-value-line-3", "# comment\n\nport = abc\n");
        seed(seeds, "unknown-key", "colour = blue\n");
        seed(seeds, "gossip-over-default-down-after", "gossip-interval-ms = 50000\n");
    }

    private static void seed(Path dir, String name, String text) throws IOException {
        Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }
}
