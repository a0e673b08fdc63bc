package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import memdb.node.Canaries;
import memdb.node.ForegroundMain;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bug canaries on a real node process (docs/reliability.md, "Bug canaries"): a child JVM runs the
 * node as {@code memdb server} does, with {@code -Dmemdb.canary=...}. ack-before-fsync is shown where the
 * simulator cannot: a kill -9 right after the acknowledgement loses the acknowledged write, while the
 * same kill of a node without the canary loses nothing (its records reach the OS before the reply).
 */
class AckBeforeFsyncKillTest {
    private static final long STARTUP_TIMEOUT_MS = 60_000;
    private static final Pattern STARTUP = Pattern.compile("memdb node \\d+ listening on 127\\.0\\.0\\.1:(\\d+)[ ,].*");

    @TempDir
    Path dir;

    /** A node process and the lines it printed up to its startup line. */
    private record Child(Process process, int port, List<String> before) {}

    private Child start(String canaries) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"))); // starts faster
        if (canaries != null) command.add("-D" + Canaries.PROPERTY + "=" + canaries);
        command.addAll(List.of(ForegroundMain.class.getName(), "--port=0", "--admin-port=0", "--node-id=1",
                "--auth-key=canary", "--data-dir=" + dir.resolve("data")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("MEMDB_"));
        builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        Process process = builder.start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> before = new ArrayList<>();
        Thread watchdog = new Thread(() -> { // a node that never prints its startup line is stopped, so readLine ends
            try {
                Thread.sleep(STARTUP_TIMEOUT_MS);
                process.destroyForcibly();
            } catch (InterruptedException e) {
                // the startup line came
            }
        }, "startup-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            for (String line = output.readLine(); line != null && before.size() < 50; line = output.readLine()) {
                Matcher startup = STARTUP.matcher(line);
                if (startup.matches()) return new Child(process, Integer.parseInt(startup.group(1)), before);
                before.add(line);
            }
        } finally {
            watchdog.interrupt();
        }
        process.destroyForcibly();
        return new Child(process, -1, before);
    }

    /** One request on a new connection; GET and SET of one value are idempotent, so a slow answer (a loaded machine) is asked again. */
    private static Response call(Child child, Request request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (WireClient client = WireClient.authenticated(new InetSocketAddress("127.0.0.1", child.port()), "canary")) {
                return client.call(request);
            } catch (java.net.SocketTimeoutException e) {
                if (attempt == 3) throw e;
            }
        }
    }

    private static void kill9(Child child) throws InterruptedException {
        child.process().toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
    }

    /**
     * Starts the node (with {@code canaries}, or none), checks what it holds from before ({@code expected}:
     * key to present?), writes {@code key} and kills the node with SIGKILL as soon as the write is
     * acknowledged. A node started with canaries must have said so in one WARNING line.
     */
    private void checkWriteAndKill(String canaries, java.util.Map<String, Boolean> expected, String key)
            throws IOException, InterruptedException {
        Child child = start(canaries);
        try {
            assertTrue(child.port() > 0, () -> "no startup line: " + child.before());
            List<String> warnings = child.before().stream().filter(line -> line.contains("BUG CANARIES ON")).toList();
            assertEquals(canaries == null ? 0 : 1, warnings.size(), child.before()::toString);
            if (canaries != null) assertTrue(warnings.get(0).contains("WARNING") && warnings.get(0).contains(canaries), warnings.get(0));
            for (var entry : expected.entrySet()) {
                Responses.Value read = (Responses.Value) call(child, new Requests.Get(Key.of(entry.getKey()), Consistency.DEFAULT));
                assertEquals(entry.getValue(), read.isPresent(), entry.getKey() + " after kill -9: " + read);
            }
            if (key == null) return;
            Response written = call(child, new Requests.Set(Key.of(key), "acknowledged".getBytes(StandardCharsets.UTF_8),
                    Consistency.DEFAULT));
            assertTrue(written instanceof Responses.Written, written::toString);
        } finally {
            kill9(child);
        }
    }

    /**
     * Three runs of one node on one data directory, each ended by kill -9 right after an acknowledged
     * write: without the canary the write survives; with ack-before-fsync it is lost.
     */
    @Test
    void aKill9RightAfterTheAckLosesTheWriteOnlyUnderAckBeforeFsync() throws IOException, InterruptedException {
        checkWriteAndKill(null, java.util.Map.of(), "kept");
        checkWriteAndKill("ack-before-fsync", java.util.Map.of("kept", true), "lost");
        checkWriteAndKill(null, java.util.Map.of("kept", true, "lost", false), null);
    }

    @Test
    void anUnknownCanaryRefusesToStart() throws IOException, InterruptedException {
        Child child = start("ack-before-fsync,no-such-bug");
        assertTrue(child.process().waitFor(20, TimeUnit.SECONDS), "the node must not start");
        assertEquals(-1, child.port());
        assertTrue(child.process().exitValue() != 0);
        assertTrue(child.before().stream().anyMatch(line -> line.contains("unknown bug canary 'no-such-bug'")),
                child.before()::toString);
    }
}
