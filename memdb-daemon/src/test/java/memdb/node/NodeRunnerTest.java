package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import memdb.client.AuthKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRunnerTest {
    private static final Pattern STARTUP = Pattern.compile("memdb node (\\d+) listening on 127\\.0\\.0\\.1:(\\d+), admin on 127\\.0\\.0\\.1:\\d+ \\(data dir (.+)\\)");

    @TempDir
    Path dir;

    /** A node runs without Netty's leak tracking unless its system property asks for some. */
    @Test
    void nettyLeakTrackingIsOffInANodeUnlessAskedFor() {
        io.netty.util.ResourceLeakDetector.Level before = io.netty.util.ResourceLeakDetector.getLevel();
        String property = System.getProperty(NodeRunner.LEAK_DETECTION_PROPERTY);
        try {
            System.clearProperty(NodeRunner.LEAK_DETECTION_PROPERTY);
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.SIMPLE);
            NodeRunner.applyProcessDefaults();
            assertEquals(io.netty.util.ResourceLeakDetector.Level.DISABLED, io.netty.util.ResourceLeakDetector.getLevel());

            System.setProperty(NodeRunner.LEAK_DETECTION_PROPERTY, "paranoid");
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.PARANOID);
            NodeRunner.applyProcessDefaults();
            assertEquals(io.netty.util.ResourceLeakDetector.Level.PARANOID, io.netty.util.ResourceLeakDetector.getLevel());
        } finally {
            if (property == null) System.clearProperty(NodeRunner.LEAK_DETECTION_PROPERTY);
            else System.setProperty(NodeRunner.LEAK_DETECTION_PROPERTY, property);
            io.netty.util.ResourceLeakDetector.setLevel(before);
        }
    }

    /**
     * A node process's buffers skip Netty's reference-count check on every access unless a property asks for it
     * (either of the names Netty reads); each case in a fresh JVM, since Netty reads the property once.
     */
    @Test
    void nettyAccessChecksAreOffInANodeUnlessAskedFor() throws IOException, InterruptedException {
        assertEquals("checkAccessible=false", nettyDefaults());
        assertEquals("checkAccessible=true", nettyDefaults("-D" + NodeRunner.CHECK_ACCESSIBLE_PROPERTY + "=true"));
        assertEquals("checkAccessible=true", nettyDefaults("-D" + NodeRunner.CHECK_ACCESSIBLE_LEGACY_PROPERTY + "=true"));
    }

    private static String nettyDefaults(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(javaBinary()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NettyDefaultsMain.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            return output.lines().reduce((first, second) -> second).orElse("");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void theStartupLineNamesNodeAddressAndDataDirButNotTheKey() {
        ServerConfig config = new ConfigResolver(null, dir.toString())
                .resolve(Map.of("port", "0", "admin-port", "0", "node-id", "9", "auth-key", "hush", "data-dir", dir.toString()),
                        Map.of(), null);
        try (Node node = Node.start(config)) {
            String line = NodeRunner.startupLine(node);
            assertEquals("memdb node 9 listening on 127.0.0.1:" + node.port() + ", admin on 127.0.0.1:" + node.adminPort()
                    + " (data dir " + dir.toAbsolutePath() + ")", line);
            assertFalse(line.contains("hush"));
        }
    }

    /** The boot summary: the replay's time and rate, and the time after it until the node serves. */
    @Test
    void theBootLineGivesEachPhaseItsTime() {
        memdb.oplog.ReplayReport report = new memdb.oplog.ReplayReport(1000, 5, 1000, 157_000_000, java.util.List.of(), null,
                java.util.List.of());
        String line = Node.bootLine(0, 100_000_000L, 2_100_000_000L, 2_600_000_000L, report);
        assertTrue(line.startsWith("boot: "), line);
        assertTrue(line.endsWith("lock and ports 100 ms, replay 2000 ms (1000 records, 500 records/s, 157 MB), core and listeners 500 ms"),
                line);
    }

    @Test
    void theStartupLineNamesTheRespPortWhenItIsOn() throws IOException {
        int respPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            respPort = socket.getLocalPort();
        }
        ServerConfig config = new ConfigResolver(null, dir.toString()).resolve(Map.of("port", "0", "admin-port", "0", "node-id", "9",
                "auth-key", "hush", "data-dir", dir.toString(), "resp-port", Integer.toString(respPort)), Map.of(), null);
        try (Node node = Node.start(config)) {
            assertEquals("memdb node 9 listening on 127.0.0.1:" + node.port() + ", RESP on 127.0.0.1:" + respPort
                    + ", admin on 127.0.0.1:" + node.adminPort() + " (data dir " + dir.toAbsolutePath() + ")", NodeRunner.startupLine(node));
        }
    }

    /**
     * The whole foreground run in a child JVM, as `memdb server` with no key configured: it creates the
     * user's auth-key file, prints one line without the key, serves, and on SIGTERM stops cleanly.
     */
    @Test
    void aForegroundNodeCreatesTheKeyFileServesAndStopsOnSigterm() throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                ForegroundMain.class.getName(), "--port=0", "--node-id=5");
        builder.environment().keySet().removeIf(name -> name.startsWith("MEMDB_") || name.startsWith("XDG_"));
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher startup = STARTUP.matcher(output.readLine());
            assertTrue(startup.matches(), startup.toString());
            assertEquals("5", startup.group(1));
            assertEquals(home.resolve("data").resolve("memdb").toString(), startup.group(3));
            Path keyFile = home.resolve("config").resolve("memdb").resolve("auth-key");
            String key = AuthKeyFile.read(keyFile).orElseThrow();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            new Socket().connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(startup.group(2))), 2_000);

            process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the node stops within 10 s of SIGTERM");
            List<String> rest = output.lines().toList();
            assertTrue(rest.contains("memdb node 5 stopped"), rest.toString());
            assertTrue(rest.stream().noneMatch(line -> line.contains(key)));
            assertTrue(Files.isDirectory(home.resolve("data").resolve("memdb")));
        } finally {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
