package memdb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import memdb.client.Futures;
import memdb.node.ConfigException;
import memdb.protocol.MemDbException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code memdb} executable: parses the command line and runs one command ({@code memdb} alone runs the
 * REPL). Every error reaches the user as one sentence on stderr (never a stack trace, unless MEMDB_DEBUG is
 * set) with the exit code of {@link ExitCode}. Nothing here loads the terminal library: only the REPL does.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Io.system(), args.length == 0 ? new String[] {"repl"} : args));
    }

    /** Runs one command line against the given streams and returns its exit code. */
    public static int run(Io io, String... args) {
        ParseResult server = ServerFastPath.parse(args);
        if (server != null) return runServer(io, server);
        return run(io, Session.oneShot(), args);
    }

    /** A plain {@code memdb server ...} line, run as the tree would run it, without building the tree. */
    private static int runServer(Io io, ParseResult server) {
        warnIfAuthKeyOnCommandLine(server, io, Session.oneShot());
        try {
            return ServerFastPath.options(server).run(io, null);
        } catch (Exception e) {
            return report(io, e);
        }
    }

    /** Runs one command line in a session (the REPL runs each of its lines so, sharing the session). */
    static int run(Io io, Session session, String... args) {
        CommandLine commandLine = commandLine(io, session);
        commandLine.setOut(new PrintWriter(io.out(), true));
        commandLine.setErr(new PrintWriter(io.err(), true));
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> report(io, e));
        commandLine.setParameterExceptionHandler((e, given) -> UsageErrors.report(io, session, e, given));
        commandLine.setExecutionStrategy(parseResult -> {
            warnIfAuthKeyOnCommandLine(parseResult, io, session);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine.execute(args);
    }

    /**
     * The command tree as the shell runs it. The man pages and the completion script are generated from
     * this same tree (DocsGenerator in the tests), so what is documented is what parses.
     */
    static CommandLine commandLine(Io io) {
        return commandLine(io, Session.oneShot());
    }

    static CommandLine commandLine(Io io, Session session) {
        CommandLine commandLine = new CommandLine(new MemdbCommand(io, session));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // "-hello" is a value, not -h -e -l -l -o: without this, memdb set k -hello printed the help and exited 0
        commandLine.setPosixClusteredShortOptionsAllowed(false);
        return commandLine;
    }

    /**
     * A key typed on the command line shows in ps and in the shell's history: say so, once, to a person
     * (stderr a terminal). A script's stderr stays one sentence per failure.
     */
    private static void warnIfAuthKeyOnCommandLine(ParseResult parseResult, Io io, Session session) {
        if (!io.ttys().err()) return;
        for (ParseResult part = parseResult; part != null; part = part.subcommand()) {
            if (part.hasMatchedOption("--auth-key") && session.firstAuthKeyWarning()) {
                io.err().println("memdb: warning: --auth-key on the command line is visible to other users (ps) and "
                        + "kept in shell history; prefer MEMDB_AUTH_KEY or the key file");
                return;
            }
        }
    }

    static int report(Io io, Exception thrown) {
        Throwable e = Futures.unwrapCompletion(thrown);
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
        } else if (e instanceof IOException failure) {
            exitCode = ExitCode.SERVER_ERROR;
            message = describe(failure);
        } else if (e instanceof UncheckedIOException unchecked) {
            exitCode = ExitCode.SERVER_ERROR;
            message = describe(unchecked);
        } else {
            exitCode = ExitCode.SERVER_ERROR;
            message = "internal error: " + e;
        }
        Output.error(io, message);
        if (io.env("MEMDB_DEBUG") != null) e.printStackTrace(io.err());
        return exitCode;
    }

    /**
     * An I/O failure wrapped with what was being done: the cause's reason once (the wrapper's message often
     * ends with it already), and for a file error, what happened to the file rather than only its name.
     */
    static String describe(UncheckedIOException e) {
        IOException cause = e.getCause();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.endsWith(": null")) message = message.substring(0, message.length() - ": null".length());
        if (cause.getCause() instanceof UnresolvedAddressException) return message + ": unknown host";
        String causeText = cause.getMessage();
        if (cause instanceof FileSystemException fs && fs.getReason() == null) {
            if (causeText != null && message.endsWith(": " + causeText)) {
                message = message.substring(0, message.length() - causeText.length() - 2);
            }
            return message + ": " + (fs.getFile() != null && message.contains(fs.getFile()) ? problem(fs) : describe(cause));
        }
        if (causeText == null || message.contains(causeText)) return message;
        return message + ": " + causeText;
    }

    /** An I/O failure in words: a file error says what happened to which file. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() == null) return fs.getFile() + ": " + problem(fs);
        return String.valueOf(e.getMessage());
    }

    private static String problem(FileSystemException e) {
        return e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException && e.getFile() != null && Files.isRegularFile(Path.of(e.getFile()))
                        ? "exists and is a file, not a directory"
                : e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof DirectoryNotEmptyException ? "directory not empty"
                : "cannot be used";
    }
}
