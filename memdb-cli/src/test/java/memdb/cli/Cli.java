package memdb.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code memdb} commands in-process with captured streams, an environment and a terminal or not. */
final class Cli {
    /** What one command did. */
    record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, String> env;
    private final Io.Ttys ttys;
    private final byte[] stdin;

    Cli(Map<String, String> env, Io.Ttys ttys, byte[] stdin) {
        this.env = Map.copyOf(env);
        this.ttys = ttys;
        this.stdin = stdin;
    }

    /** A client of {@code node} whose streams are pipes (so -o auto is raw), colour off. */
    static Cli piped(InProcessNode node) {
        return new Cli(Map.of("MEMDB_SEEDS", node.address(), "MEMDB_AUTH_KEY", InProcessNode.AUTH_KEY,
                "MEMDB_ADMIN", node.adminAddress(), "NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);
    }

    Cli withTerminal(Io.Ttys newTtys) {
        return new Cli(env, newTtys, stdin);
    }

    Cli withEnv(String name, String value) {
        Map<String, String> more = new HashMap<>(env);
        if (value == null) more.remove(name);
        else more.put(name, value);
        return new Cli(more, ttys, stdin);
    }

    Cli withStdin(byte[] bytes) {
        return new Cli(env, ttys, bytes);
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, ttys);
        int exitCode = Main.run(io, args);
        return new Result(exitCode, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
