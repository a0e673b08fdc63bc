package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import memdb.cli.repl.CommandExecutor;
import memdb.cli.repl.Interactive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive REPL through a pseudo-terminal (JLine's ExternalTerminal): completion, history
 * expansion off, the history file, commands against a real node on one connection, Ctrl-C during a slow
 * command, the prompt when the node is lost and found again, Ctrl-D.
 */
class ReplTest {
    private static final String TAB = "\t";
    private static final String CTRL_C = "\u0003";
    private static final String CTRL_D = "\u0004";

    @TempDir
    Path dir;

    private final List<List<String>> ran = new CopyOnWriteArrayList<>();

    /** Records each command line and prints "ran ..." instead of running it. */
    private final CommandExecutor recorder = (words, out, err) -> {
        ran.add(words);
        out.println("ran " + String.join(" ", words));
        return 0;
    };

    private TerminalDriver recordingRepl(Optional<Path> history) throws IOException {
        return new TerminalDriver(recorder, () -> "memdb test> ", history);
    }

    @Test
    void tabCompletesCommandsOptionsAndEnumValues() throws Exception {
        try (TerminalDriver repl = recordingRepl(Optional.empty())) {
            // JLine reads the keys in order and completes synchronously, so they can all be typed at once.
            repl.type("ge" + TAB + "k --consis" + TAB + "QUO" + TAB + "-o js" + TAB + "\r");
            repl.awaitScreen("ran get");
            repl.type("clu" + TAB + "sta" + TAB + "\r");
            repl.awaitScreen("ran cluster");
            repl.type(CTRL_D);
            assertEquals(0, repl.awaitExit());
        }
        assertEquals(List.of("get", "k", "--consistency", "QUORUM", "-o", "json"), ran.get(0));
        assertEquals(List.of("cluster", "status"), ran.get(1));
    }

    @Test
    void anExclamationMarkIsNotHistoryExpansionAndQuotesWorkAsInTheShell() throws Exception {
        try (TerminalDriver repl = recordingRepl(Optional.empty())) {
            repl.type("set k 'a!b c'\r");
            repl.awaitScreen("ran set");
            repl.type("set k2 !!\r");
            repl.awaitScreen("ran set", 2);
            repl.type("exit\r");
            assertEquals(0, repl.awaitExit());
        }
        assertEquals(List.of(List.of("set", "k", "a!b c"), List.of("set", "k2", "!!")), ran);
    }

    @Test
    void historyIsOwnerOnlyAndNeverHoldsAnAuthKey() throws Exception {
        Path file = dir.resolve("state/memdb/history");
        try (TerminalDriver repl = recordingRepl(Optional.of(file))) {
            repl.type("get a -a secret-one\r");
            repl.type("get b --auth-key=secret-two\r");
            repl.type("get c -asecret-three\r");
            repl.type("set k 'v!'\r");
            repl.awaitScreen("ran set");
            repl.type(CTRL_D);
            repl.awaitExit();
        }
        assertEquals(4, ran.size(), "every line ran, keys or not");
        String history = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(history.contains("set k 'v!'"), history);
        assertFalse(history.contains("secret"), history);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void historyIsKeptAcrossSessions() throws Exception {
        Path file = dir.resolve("history");
        try (TerminalDriver repl = recordingRepl(Optional.of(file))) {
            repl.type("get remembered\r");
            repl.awaitScreen("ran get");
            repl.type(CTRL_D);
            repl.awaitExit();
        }
        try (TerminalDriver repl = recordingRepl(Optional.of(file))) {
            repl.type("\u0010\r"); // Ctrl-P, previous history: the previous session's line
            repl.awaitScreen("ran get remembered");
            repl.type(CTRL_D);
            repl.awaitExit();
        }
        assertEquals(List.of(List.of("get", "remembered"), List.of("get", "remembered")), ran);
    }

    @Test
    void commandsRunAgainstARealNodeOverOneConnection() throws Exception {
        try (InProcessNode node = InProcessNode.start(dir.resolve("db")); Session session = Session.interactive()) {
            CommandExecutor executor = ReplCommand.executor(env(node.address()), Io.Ttys.ALL, session);
            try (TerminalDriver repl = new TerminalDriver(executor, () -> ReplCommand.prompt(node.address(), session),
                    Optional.empty())) {
                repl.awaitScreen("memdb " + node.address() + "> ");
                repl.type("set greeting 'hello there!'\r");
                repl.awaitScreen("OK");
                repl.type("get greeting\r");
                repl.awaitScreen("hello there!");
                repl.type("contains greeting -o json\r");
                repl.awaitScreen("{\"key\":\"greeting\",\"contains\":true}");
                repl.type("get absent\r");
                repl.awaitScreen("memdb: key 'absent' not found");
                assertEquals(1, node.openConnections(), "the REPL keeps one connection across commands");
                repl.type(CTRL_D);
                assertEquals(ExitCode.NOT_FOUND, repl.awaitExit(), "the REPL exits with the last command's code");
            }
        }
    }

    @Test
    void ctrlCCancelsASlowCommandAndReturnsToThePrompt() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Session session = Session.interactive()) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(silent.accept()); // accepts and never answers
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String node = "127.0.0.1:" + silent.getLocalPort();
            CommandExecutor executor = ReplCommand.executor(env(node), Io.Ttys.ALL, session);
            try (TerminalDriver repl = new TerminalDriver(executor, () -> "memdb> ", Optional.empty())) {
                repl.type("get k --timeout-ms 60000\r");
                long deadline = System.nanoTime() + TerminalDriver.WAIT_MAX.toNanos();
                while (accepted.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
                assertFalse(accepted.isEmpty(), "the command reached the silent node");
                long start = System.nanoTime();
                repl.type(CTRL_C);
                repl.awaitScreen("(cancelled)");
                repl.awaitScreen("memdb> ", 2);
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "Ctrl-C returns at once, not at the 60 s timeout");
                repl.type("exit\r");
                assertEquals(Interactive.CANCELLED, repl.awaitExit());
            }
        } finally {
            for (Socket socket : accepted) socket.close();
        }
    }

    @Test
    void thePromptSaysWhenTheNodeIsLostAndTheClientReconnectsByItself() throws Exception {
        int port = MemdbProcesses.freePort();
        String node = "127.0.0.1:" + port;
        try (Session session = Session.interactive()) {
            CommandExecutor executor = ReplCommand.executor(env(node), Io.Ttys.ALL, session);
            try (TerminalDriver repl = new TerminalDriver(executor, () -> ReplCommand.prompt(node, session), Optional.empty())) {
                String prompt = "memdb " + node + "> ";
                try (InProcessNode first = InProcessNode.start(dir.resolve("db"), port)) {
                    repl.type("set k first-value\r");
                    repl.awaitScreen(prompt, 2);
                }
                repl.type("get k --timeout-ms 2000\r");
                repl.awaitScreen("memdb " + node + " (disconnected)> ");
                try (InProcessNode second = InProcessNode.start(dir.resolve("db"), port)) {
                    repl.type("get k -o json\r");
                    repl.awaitScreen("\"value\":\"first-value\"");
                    String screen = repl.awaitScreen(prompt, 3);
                    assertTrue(screen.lastIndexOf("memdb " + node + "> ") > screen.lastIndexOf("(disconnected)"), screen);
                    repl.type(CTRL_D);
                    assertEquals(0, repl.awaitExit());
                }
            }
        }
    }

    private static Map<String, String> env(String node) {
        return Map.of("MEMDB_SEEDS", node, "MEMDB_AUTH_KEY", InProcessNode.AUTH_KEY, "NO_COLOR", "1");
    }
}
