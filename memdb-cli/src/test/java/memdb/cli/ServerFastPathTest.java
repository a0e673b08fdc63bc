package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** The {@code memdb server} fast path parses exactly what the command tree parses, and leaves the rest to it. */
class ServerFastPathTest {
    private static final List<List<String>> PLAIN_LINES = List.of(
            List.of("server"),
            List.of("server", "--port", "0", "--admin-port", "0", "--bind", "127.0.0.1", "--data-dir", "/tmp/d",
                    "--auth-key", "k", "--fsync", "everysec"),
            List.of("server", "--persistence", "off", "--resp-port", "6380"),
            List.of("server", "--node-id=7", "--resp-port=6380", "--seeds=a:1,b:2", "--force-recover",
                    "--replication-factor", "2", "--max-value-bytes", "1024", "--config", "/tmp/memdb.conf"),
            List.of("server", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-ca", "ca.pem", "--fsync", "bogus"));

    private static final List<List<String>> TREE_LINES = List.of(
            List.of(),
            List.of("server", "--help"),
            List.of("server", "-h"),
            List.of("server", "--version"),
            List.of("server", "--bogus"),
            List.of("server", "stray"),
            List.of("server", "--port"),
            List.of("server", "--port", "1", "--port", "2"),
            List.of("server", "--", "--port"),
            List.of("--help", "server"),
            List.of("join", "h:1"),
            List.of("get", "k"));

    @Test
    void plainServerLinesGiveTheSameOptionsAsTheTree() {
        for (List<String> line : PLAIN_LINES) {
            ParseResult fast = ServerFastPath.parse(line.toArray(String[]::new));
            assertNotNull(fast, line.toString());
            ServerOptions viaTree = treeOptions(line);
            ServerOptions viaFastPath = ServerFastPath.options(fast);
            assertEquals(viaTree.flags(null), viaFastPath.flags(null), line.toString());
            assertEquals(viaTree.config, viaFastPath.config, line.toString());
            assertEquals(treeMatchedAuthKey(line), fast.hasMatchedOption("--auth-key"), line.toString());
        }
    }

    @Test
    void everythingElseIsLeftToTheTree() {
        for (List<String> line : TREE_LINES) {
            assertNull(ServerFastPath.parse(line.toArray(String[]::new)), line.toString());
        }
    }

    @Test
    void aBadSettingFailsTheSameWayOnBothPaths(@TempDir Path dir) {
        String[] args = {"server", "--node-id", "0", "--data-dir", dir.toString(), "--port", "0", "--admin-port", "0",
                "--auth-key", "k"};
        assertNotNull(ServerFastPath.parse(args));
        Run fast = run(io -> Main.run(io, args));
        Run tree = run(io -> Main.run(io, Session.oneShot(), args));
        assertEquals(ExitCode.USAGE, fast.exitCode, fast.stderr);
        assertEquals(tree.exitCode, fast.exitCode);
        assertEquals(tree.stderr, fast.stderr);
        assertTrue(fast.stderr.contains("node-id"), fast.stderr);
    }

    private static ServerOptions treeOptions(List<String> line) {
        Io io = new Io(InputStream.nullInputStream(), System.out, System.err, Map.of());
        ParseResult parsed = Main.commandLine(io).parseArgs(line.toArray(String[]::new));
        return ((ServerCommand) parsed.subcommand().commandSpec().userObject()).options;
    }

    private static boolean treeMatchedAuthKey(List<String> line) {
        Io io = new Io(InputStream.nullInputStream(), System.out, System.err, Map.of());
        return Main.commandLine(io).parseArgs(line.toArray(String[]::new)).subcommand().hasMatchedOption("--auth-key");
    }

    private record Run(int exitCode, String stderr) {}

    private interface Command {
        int run(Io io);
    }

    private static Run run(Command command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        int exitCode = command.run(io);
        return new Run(exitCode, err.toString(StandardCharsets.UTF_8));
    }
}
