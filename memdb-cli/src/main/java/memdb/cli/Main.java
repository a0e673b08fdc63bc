package memdb.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import memdb.node.ConfigException;
import memdb.protocol.MemDbException;
import picocli.CommandLine;

/**
 * The {@code memdb} executable: parses the command line and runs one command. Every error reaches the
 * user as one sentence on stderr (never a stack trace, unless MEMDB_DEBUG is set) with the exit code
 * of {@link ExitCode}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Io.system(), args));
    }

    /** Runs one command line against the given streams and returns its exit code. */
    public static int run(Io io, String... args) {
        CommandLine commandLine = commandLine(io);
        commandLine.setOut(new PrintWriter(io.out(), true));
        commandLine.setErr(new PrintWriter(io.err(), true));
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> report(io, e));
        return commandLine.execute(args);
    }

    /**
     * The command tree as the shell runs it. The man pages and the completion script are generated from
     * this same tree (DocsGenerator in the tests), so what is documented is what parses.
     */
    static CommandLine commandLine(Io io) {
        CommandLine commandLine = new CommandLine(new MemdbCommand(io));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    private static int report(Io io, Exception thrown) {
        Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        int exitCode;
        String message;
        if (e instanceof MemDbException m) {
            exitCode = ExitCode.of(m);
            message = m.getMessage();
        } else if (e instanceof UserError u) {
            exitCode = u.exitCode();
            message = u.getMessage();
        } else if (e instanceof ConfigException) {
            exitCode = ExitCode.USAGE;
            message = e.getMessage();
        } else if (e instanceof java.io.IOException) {
            exitCode = ExitCode.SERVER_ERROR;
            message = e.getMessage();
        } else if (e instanceof UncheckedIOException) {
            exitCode = ExitCode.SERVER_ERROR;
            message = e.getMessage() + ": " + e.getCause().getMessage();
        } else {
            exitCode = ExitCode.SERVER_ERROR;
            message = "internal error: " + e;
        }
        io.err().println("memdb: " + message);
        if (io.env("MEMDB_DEBUG") != null) e.printStackTrace(io.err());
        return exitCode;
    }
}
