package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output options and the warnings every command shares, without a node. */
class OutputOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Io io(Map<String, String> env, Io.Ttys ttys) {
        return new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, ttys);
    }

    @Test
    void anAuthKeyOnTheCommandLineWarnsAPersonOncePerSession() {
        Io io = io(Map.of("NO_COLOR", "1"), Io.Ttys.ALL);
        String closedPort = "127.0.0.1:" + MemdbProcesses.freePort();
        try (Session session = Session.interactive()) {
            Main.run(io, session, "get", "k", "-s", closedPort, "--auth-key", "secret", "--timeout-ms", "500");
            Main.run(io, session, "get", "k", "-s", closedPort, "-a", "secret", "--timeout-ms", "500");
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, TerminalDriver.count(stderr, "warning: --auth-key"), stderr);
        assertFalse(stderr.contains("secret"), stderr);
    }

    @Test
    void noWarningForAScript() {
        Main.run(io(Map.of(), Io.Ttys.NONE), "get", "k", "-s", "127.0.0.1:" + MemdbProcesses.freePort(), "-a", "secret",
                "--timeout-ms", "500");
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, stderr.strip().lines().count(), stderr);
    }

    @Test
    void noWarningWhenTheKeyComesFromTheEnvironment() {
        Io io = io(Map.of("MEMDB_AUTH_KEY", "secret"), Io.Ttys.ALL);
        Main.run(io, "get", "k", "-s", "127.0.0.1:" + MemdbProcesses.freePort(), "--timeout-ms", "500");
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("warning"));
    }

    @Test
    void errorsAreRedOnlyOnATerminalWithoutNoColor() {
        String closed = "127.0.0.1:" + MemdbProcesses.freePort();
        Main.run(io(Map.of("MEMDB_AUTH_KEY", "k"), Io.Ttys.ALL), "get", "k", "-s", closed, "--timeout-ms", "500");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("\033[31mmemdb: "), err.toString(StandardCharsets.UTF_8));
        err.reset();
        Main.run(io(Map.of("MEMDB_AUTH_KEY", "k", "NO_COLOR", "1"), Io.Ttys.ALL), "get", "k", "-s", closed, "--timeout-ms", "500");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("memdb: "), err.toString(StandardCharsets.UTF_8));
        err.reset();
        Main.run(io(Map.of("MEMDB_AUTH_KEY", "k"), Io.Ttys.NONE), "get", "k", "-s", closed, "--timeout-ms", "500");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("memdb: "), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheExitCodesAndTheOutputFormats() {
        assertEquals(0, Main.run(io(Map.of(), Io.Ttys.NONE), "get", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Exit codes:") && help.contains("4   Authentication refused."), help);
        assertTrue(help.contains("-o, --output=FORMAT") && help.contains("auto, text, table, json or raw"), help);
    }
}
