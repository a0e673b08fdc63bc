package memdb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import memdb.cli.repl.Batch;
import memdb.cli.repl.CommandExecutor;
import memdb.cli.repl.History;
import memdb.cli.repl.Interactive;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb repl} (and {@code memdb} alone): the same commands as the shell, one per line, sharing one
 * client connection. On a terminal, interactive (JLine: completion, hints, history); otherwise batch mode,
 * which reads the lines from standard input and stops at the first failure.
 */
@Command(name = "repl", description = {"Run commands interactively (the same commands as the shell: get k, set k v, "
        + "cluster status, ...), sharing one connection; also what memdb alone does.",
    "On a terminal: tab completion, hints, history in $XDG_STATE_HOME/memdb/history (MEMDB_HISTFILE; /dev/null: none; "
        + "lines with an auth key are not kept); Ctrl-C cancels a command, Ctrl-D or exit leaves.",
    "Otherwise (a pipe, a file, a here-doc): one command per line, no prompt; stops at the first command that fails "
        + "and exits with its code, unless --continue.",
    "-s, -a and -o given here are the defaults of every command in the REPL."})
final class ReplCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Mixin
    ClientOptions client;

    @Option(names = "--continue", description = "Batch mode: run every line even after a failure; exit with the first failure's code.")
    boolean continueOnFailure;

    @Override
    public Integer call() throws IOException {
        Io io = root.io();
        Map<String, String> env = defaultsForCommands(io);
        String node = client.seedList(io).get(0);
        try (Session session = Session.interactive()) {
            if (!io.ttys().in()) {
                Io.Ttys ttys = new Io.Ttys(false, io.ttys().out(), io.ttys().err());
                return Batch.run(io.in(), executor(env, ttys, session), io.out(), io.err(), continueOnFailure);
            }
            try (Terminal terminal = TerminalBuilder.builder().name("memdb").system(true).build()) {
                return new Interactive(terminal, completionTree(io), executor(env, Io.Ttys.ALL, session),
                        () -> prompt(node, session), History.file(io.env())).run();
            }
        }
    }

    /** {@code memdb 127.0.0.1:10000> }, or {@code memdb 127.0.0.1:10000 (disconnected)> } after a failure to reach it. */
    static String prompt(String node, Session session) {
        return "memdb " + node + (session.disconnected() ? " (disconnected)" : "") + "> ";
    }

    /** Runs each line as a command in {@code session}, with this environment, terminals and no stdin. */
    static CommandExecutor executor(Map<String, String> env, Io.Ttys ttys, Session session) {
        return (words, out, err) -> execute(words, new Io(noStdin(), out, err, env, ttys), session);
    }

    /**
     * Runs one line of the REPL as the shell runs a command line, in the REPL's session. A line pasted from
     * the shell ({@code memdb get k}) runs as {@code get k}: there is no command called memdb.
     */
    static int execute(List<String> words, Io io, Session session) {
        if (words.size() > 1 && words.get(0).equals("memdb")) words = words.subList(1, words.size());
        if (!words.isEmpty() && words.get(0).equals("repl")) {
            Output.error(io, "already in the REPL");
            return ExitCode.USAGE;
        }
        return Main.run(io, session, words.toArray(String[]::new));
    }

    /** The tree that completion and hints read (never executed). */
    static picocli.CommandLine completionTree(Io io) {
        return Main.commandLine(io);
    }

    /** The REPL's own -s, -a, -o become the environment its commands see, so a flag on a line still wins. */
    private Map<String, String> defaultsForCommands(Io io) {
        Map<String, String> env = new HashMap<>(io.env());
        if (client.seeds != null) env.put("MEMDB_SEEDS", client.seeds);
        if (client.authKey != null) env.put("MEMDB_AUTH_KEY", client.authKey);
        if (client.tlsCa != null) env.put("MEMDB_TLS_CA", client.tlsCa.toString());
        if (client.tls) env.put("MEMDB_TLS", "true");
        if (client.output != null || client.json) env.put("MEMDB_OUTPUT", client.format(io).toString());
        return env;
    }

    /** Standard input is the REPL's own: a command may not read it (set needs its VALUE on the line). */
    static InputStream noStdin() {
        return new InputStream() {
            @Override
            public int read() {
                throw new UserError(ExitCode.USAGE, "standard input is not available in the REPL: give the VALUE on the line");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return read();
            }
        };
    }

}
