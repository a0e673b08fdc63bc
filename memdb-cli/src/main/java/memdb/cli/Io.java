package memdb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command talks to: standard streams, which of them are terminals, and the environment, injected
 * so that tests can run commands in-process. {@code out} carries raw bytes (a value is printed exactly as
 * stored).
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Ttys ttys) {
    /** Which standard streams are terminals: decides {@code -o auto} and colour. */
    public record Ttys(boolean in, boolean out, boolean err) {
        public static final Ttys NONE = new Ttys(false, false, false);
        public static final Ttys ALL = new Ttys(true, true, true);
    }

    /** Streams that are not terminals (tests, pipes). */
    public Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this(in, out, err, env, Ttys.NONE);
    }

    public static Io system() {
        return new Io(System.in, System.out, System.err, System.getenv(),
                new Ttys(isTerminal(0), isTerminal(1), isTerminal(2)));
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The same streams with other output streams (a REPL command's, say). */
    Io withStreams(InputStream newIn, PrintStream newOut, PrintStream newErr, Map<String, String> newEnv) {
        return new Io(newIn, newOut, newErr, newEnv, ttys);
    }

    /**
     * Whether file descriptor {@code fd} is a terminal. Java 17 has only System.console() (stdin and stdout
     * both terminals); on Linux /proc tells each stream apart, cheaply and without loading a terminal library.
     */
    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
