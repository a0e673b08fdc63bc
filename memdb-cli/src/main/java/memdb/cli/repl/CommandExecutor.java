package memdb.cli.repl;

import java.io.PrintStream;
import java.util.List;

/** Runs one command line (already split into words) as the shell would, printing to the given streams. */
@FunctionalInterface
public interface CommandExecutor {
    /** Returns the command's exit code (DESIGN §8). */
    int execute(List<String> words, PrintStream out, PrintStream err);
}
