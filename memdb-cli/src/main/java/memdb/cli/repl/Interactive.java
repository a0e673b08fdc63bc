package memdb.cli.repl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.jline.console.CmdDesc;
import org.jline.console.CmdLine;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.widget.TailTipWidgets;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliCommands;

/**
 * The interactive REPL on a terminal (JLine 3): the shell's command tree with tab completion of commands,
 * options and enum values, the command's synopsis and options as tail tips while typing (picocli-shell-jline3
 * describes the commands, JLine's TailTipWidgets shows them), a
 * prompt naming the node and whether the connection was lost, history without auth keys, no history
 * expansion. Each command runs on its own thread: Ctrl-C cancels it (its further output is dropped) and
 * returns to the prompt; Ctrl-C at the prompt clears the line; Ctrl-D or exit leaves.
 */
public final class Interactive {
    /** Exit code of a command cancelled by Ctrl-C (as a shell reports SIGINT). */
    public static final int CANCELLED = 130;

    private final Terminal terminal;
    private final CommandExecutor executor;
    private final Supplier<String> prompt;
    private final LineReader reader;
    private volatile Runnable cancelCurrent = () -> { };

    /**
     * @param completionTree a command tree used only for completion and tail tips (never executed)
     * @param prompt         the prompt before each line (it may change after each command)
     * @param historyFile    where history is kept, or empty for none on disk
     */
    public Interactive(Terminal terminal, CommandLine completionTree, CommandExecutor executor, Supplier<String> prompt,
                       Optional<Path> historyFile) throws IOException {
        this.terminal = terminal;
        // A pty opened without a size (script(1) from a pipe, say) reports 0 columns: JLine would cut the prompt.
        if (terminal.getWidth() <= 0) terminal.setSize(new Size(80, 24));
        this.executor = executor;
        this.prompt = prompt;
        PicocliCommands commands = new PicocliCommands(completionTree);
        CommandCompleter completer = new CommandCompleter(completionTree.getCommandSpec(), List.of("exit", "quit"));
        History history = new History(historyFile.orElse(null));
        LineReaderBuilder builder = LineReaderBuilder.builder().appName("memdb").terminal(terminal)
                .completer(completer).parser(Words.parser()).history(history)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .variable(LineReader.HISTORY_SIZE, 1000);
        if (historyFile.isPresent()) {
            History.prepare(historyFile.get());
            builder.variable(LineReader.HISTORY_FILE, historyFile.get());
        }
        this.reader = builder.build();
        if (!Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            new TailTipWidgets(reader, line -> describe(commands, line), 5, TailTipWidgets.TipType.COMPLETER).enable();
        }
        terminal.handle(Terminal.Signal.INT, signal -> cancelCurrent.run());
    }

    LineReader reader() {
        return reader;
    }

    /** Reads and runs commands until Ctrl-D or exit; returns the last command's exit code. */
    public int run() {
        int last = 0;
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt.get());
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            if (Words.isBlankOrComment(line)) continue;
            List<String> words = List.copyOf(reader.getParsedLine().words());
            if (Words.isExit(words)) break;
            last = runCancellable(words);
        }
        saveHistory();
        return last;
    }

    /** Runs one command on its own thread; Ctrl-C (SIGINT on the terminal) cancels it. */
    int runCancellable(List<String> words) {
        GatedStream gate = new GatedStream(terminal.output());
        PrintStream out = new PrintStream(gate, true, StandardCharsets.UTF_8);
        FutureTask<Integer> task = new FutureTask<>(() -> executor.execute(words, out, out));
        cancelCurrent = () -> {
            gate.shut();
            task.cancel(true);
        };
        Thread worker = new Thread(task, "memdb-repl-command");
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get();
        } catch (CancellationException e) {
            terminal.writer().println("^C (cancelled)");
            terminal.writer().flush();
            return CANCELLED;
        } catch (ExecutionException e) {
            terminal.writer().println("memdb: internal error: " + e.getCause());
            terminal.writer().flush();
            return 5;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CANCELLED;
        } finally {
            cancelCurrent = () -> { };
            terminal.writer().flush();
        }
    }

    private void saveHistory() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            terminal.writer().println("memdb: cannot save the history: " + e.getMessage());
        }
    }

    private static CmdDesc describe(PicocliCommands commands, CmdLine line) {
        if (line.getDescriptionType() != CmdLine.DescriptionType.COMMAND || line.getArgs().isEmpty()) return null;
        try {
            return commands.hasCommand(line.getArgs().get(0)) ? commands.commandDescription(line.getArgs()) : null;
        } catch (RuntimeException e) {
            return null; // a hint is never worth an error while typing
        }
    }

    /** Passes bytes through until shut; then drops them, so a cancelled command prints nothing more. */
    private static final class GatedStream extends OutputStream {
        private final OutputStream target;
        private volatile boolean open = true;

        GatedStream(OutputStream target) {
            this.target = target;
        }

        void shut() {
            open = false;
        }

        @Override
        public void write(int b) throws IOException {
            if (open) target.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (open) target.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (open) target.flush();
        }
    }
}
