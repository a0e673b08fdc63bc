package memdb.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command talks to: standard streams and the environment, injected so that tests can run
 * commands in-process. {@code out} carries raw bytes (a value is printed exactly as stored).
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    public static Io system() {
        return new Io(System.in, System.out, System.err, System.getenv());
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
