package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** bin/memdb against the built jar: it finds the jar, passes stdin and exit codes through, picks flags per command. */
class LauncherIT extends SingleNodeIT {
    private static final String KEY = "launcher-secret-key-0123456789";
    private static final Path SH = Path.of("/bin/sh");

    LauncherIT() {
        super(KEY);
    }

    /** After {@link SingleNodeIT#startServer}: the launcher's own environment. */
    @BeforeAll
    void launcherEnvironment() {
        assumeTrue(Files.isExecutable(SH), "no /bin/sh here");
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK that built the AppCDS archive
        env.put("MEMDB_JAR", MemdbProcesses.jar().toString());
    }

    private MemdbProcesses.Result launcher(Map<String, String> environment, byte[] stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SH.toString(), launcherScript().toString()));
        command.addAll(List.of(args));
        return processes.runCommand(command, environment, stdin);
    }

    private static Path launcherScript() {
        return DocsDriftTest.repositoryRoot().resolve("bin/memdb");
    }

    @Test
    void passesStandardInputByteForByteAndTheExitCodes() throws Exception {
        byte[] value = {0, 1, (byte) 0xff, '\n', '!', 0};
        assertEquals(0, launcher(env, value, "set", "launcher-bytes", "-").exitCode());
        MemdbProcesses.Result get = launcher(env, new byte[0], "get", "launcher-bytes");
        assertEquals(0, get.exitCode(), get.stderr());
        byte[] expected = new byte[value.length + 1];
        System.arraycopy(value, 0, expected, 0, value.length);
        expected[value.length] = '\n';
        assertArrayEquals(expected, get.stdoutBytes());
        assertEquals(1, launcher(env, new byte[0], "get", "launcher-missing").exitCode());
        assertEquals(2, launcher(env, new byte[0], "get", "--no-such-option").exitCode());
    }

    @Test
    void nothingListeningExitsThree() throws Exception {
        Map<String, String> nowhere = new HashMap<>(env);
        nowhere.put("MEMDB_SEEDS", "127.0.0.1:" + MemdbProcesses.freePort());
        assertEquals(3, launcher(nowhere, new byte[0], "get", "k").exitCode());
    }

    @Test
    void oneShotCommandsStartFastBenchKeepsC2AndServersKeepG1ButGiveMemoryBack() throws Exception {
        Map<String, String> dryRun = new HashMap<>(env);
        dryRun.put("MEMDB_LAUNCHER_DRY_RUN", "1");
        String get = launcher(dryRun, new byte[0], "get", "k").stdout();
        assertTrue(get.contains("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"), get);
        assertTrue(get.endsWith("-jar " + MemdbProcesses.jar() + " get k\n"), get);
        for (String longRunning : List.of("server", "join")) {
            String line = launcher(dryRun, new byte[0], longRunning, "--port", "1").stdout();
            assertFalse(line.contains("TieredStopAtLevel"), line);
            assertFalse(line.contains("UseSerialGC"), line);
            assertTrue(line.contains("-XX:MaxHeapFreeRatio=20"), line);
            assertTrue(line.contains("-XX:MaxTenuringThreshold=1"), line);
        }
        // bench keeps C2: its warm-up waits for the JIT to settle, so the measured requests run C2 code
        String bench = launcher(dryRun, new byte[0], "bench", "-t", "get").stdout();
        assertFalse(bench.contains("TieredStopAtLevel"), bench);
        assertTrue(bench.contains("-XX:+UseSerialGC"), bench);
        assertTrue(bench.endsWith("-jar " + MemdbProcesses.jar() + " bench -t get\n"), bench);
        Path archive = MemdbProcesses.jar().resolveSibling("memdb.jsa");
        // The launcher uses an archive only when it is newer than the jar (a build with -Dmemdb.cds.skip leaves an older one).
        boolean current = Files.exists(archive)
                && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(MemdbProcesses.jar())) > 0;
        assertEquals(current, get.contains("-XX:SharedArchiveFile=" + archive), get);
        dryRun.put("MEMDB_CDS", "off");
        assertFalse(launcher(dryRun, new byte[0], "get", "k").stdout().contains("SharedArchiveFile"));
    }

    @Test
    void saysWhenTheJarIsMissing() throws Exception {
        Map<String, String> noJar = new HashMap<>(env);
        noJar.put("MEMDB_JAR", root.resolve("nowhere/memdb.jar").toString());
        MemdbProcesses.Result result = launcher(noJar, new byte[0], "--version");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("no jar at"), result.stderr());
    }

    @Test
    void versionRunsThroughTheArchive() throws Exception {
        MemdbProcesses.Result result = launcher(env, new byte[0], "--version");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(new String(result.stdoutBytes(), StandardCharsets.UTF_8).startsWith("memdb "), result.stdout());
        assertEquals("", result.stderr(), "the JVM said something about the archive");
    }
}
