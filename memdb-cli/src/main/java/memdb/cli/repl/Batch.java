package memdb.cli.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Batch mode: the REPL when standard input is not a terminal (a pipe, a file, a bash here-doc). No
 * terminal library, no prompt: one command per line, blank lines and {@code #} comments skipped; stops at
 * the first command that fails and exits with its code, or with {@code continueOnFailure} runs every line
 * and exits with the first failure's code (0 when all succeeded).
 */
public final class Batch {
    /** Usage error: a line that cannot be split (DESIGN §8 exit code 2). */
    static final int USAGE = 2;

    private Batch() {}

    public static int run(InputStream script, CommandExecutor executor, PrintStream out, PrintStream err,
                          boolean continueOnFailure) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(script, StandardCharsets.UTF_8));
        int firstFailure = 0;
        int number = 0;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (Words.isBlankOrComment(line)) continue;
                int code = runLine(line, number, executor, out, err);
                if (code == Integer.MIN_VALUE) break;
                if (code != 0 && firstFailure == 0) firstFailure = code;
                if (code != 0 && !continueOnFailure) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the commands from standard input", e);
        }
        return firstFailure;
    }

    /** The line's exit code, or Integer.MIN_VALUE for exit/quit. */
    private static int runLine(String line, int number, CommandExecutor executor, PrintStream out, PrintStream err) {
        List<String> words;
        try {
            words = Words.split(line);
        } catch (IllegalArgumentException e) {
            err.println("memdb: line " + number + ": " + e.getMessage());
            return USAGE;
        }
        if (Words.isExit(words)) return Integer.MIN_VALUE;
        return executor.execute(words, out, err);
    }
}
