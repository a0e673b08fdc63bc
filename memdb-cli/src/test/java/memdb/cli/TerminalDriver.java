package memdb.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import memdb.cli.repl.CommandExecutor;
import memdb.cli.repl.Interactive;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.AttributedString;

/**
 * Drives the interactive REPL through JLine's in-JVM pseudo-terminal (ExternalTerminal: a line discipline
 * over piped streams, which turns Ctrl-C into SIGINT as a tty does): types keys, reads the screen.
 */
final class TerminalDriver implements AutoCloseable {
    static final Duration WAIT_MAX = Duration.ofSeconds(30);

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Terminal terminal;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    TerminalDriver(CommandExecutor executor, Supplier<String> prompt, Optional<Path> history) throws IOException {
        terminal = new ExternalTerminal("test", "xterm", new PipedInputStream(keyboard, 1 << 16), screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(160, 40));
        Interactive repl = new Interactive(terminal, Main.commandLine(new Io(null, null, null, java.util.Map.of())),
                executor, prompt, history);
        thread.execute(() -> {
            try {
                exitCode.complete(repl.run());
            } catch (Throwable e) {
                exitCode.completeExceptionally(e);
            }
        });
    }

    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** The screen so far, without escape sequences. */
    String screen() {
        synchronized (screen) {
            return AttributedString.stripAnsi(screen.toString(StandardCharsets.UTF_8));
        }
    }

    /** Waits (bounded) until the screen shows {@code text} {@code times} times. */
    String awaitScreen(String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            String now = screen();
            if (count(now, text) >= times) return now;
            Thread.sleep(20);
        }
        throw new AssertionError("the screen did not show '" + text + "' " + times + " times within " + WAIT_MAX
                + "; it shows:\n" + screen());
    }

    String awaitScreen(String text) throws InterruptedException {
        return awaitScreen(text, 1);
    }

    static int count(String haystack, String needle) {
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) count++;
        return count;
    }

    /** Waits (bounded) for the REPL to end and returns its exit code. */
    int awaitExit() throws Exception {
        return exitCode.get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        keyboard.close();
        terminal.close();
        thread.shutdownNow();
    }
}
