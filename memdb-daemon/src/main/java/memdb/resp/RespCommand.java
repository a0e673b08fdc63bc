package memdb.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One decoded client command: its arguments as raw bytes, the command's name first.
 *
 * <p>Invariants: at least one argument (the name); the argument array is exactly as long as the command's
 * arity and is owned by this command (the decoder hands over the array it filled, nothing copies it), so
 * an argument's bytes may be kept by a request (a key, a value) without a copy. Never changed after it
 * is made.
 */
public final class RespCommand {
    private final byte[][] args;

    /** Takes {@code args} over: the caller must not change it afterwards. */
    RespCommand(byte[][] args) {
        if (args.length == 0) throw new IllegalArgumentException("a command has at least its name");
        this.args = args;
    }

    public static RespCommand of(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return new RespCommand(bytes);
    }

    /** The command this names (its name compared without regard to ASCII case), or null when we do not know it. */
    CommandSpec spec() {
        return CommandSpec.byName(args[0]);
    }

    /** The command's name in upper case ({@code GET}); names are ASCII. */
    public String name() {
        return text(0).toUpperCase(Locale.ROOT);
    }

    /** Argument {@code i} as text (UTF-8). */
    public String text(int i) {
        return new String(args[i], StandardCharsets.UTF_8);
    }

    public byte[] arg(int i) {
        return args[i];
    }

    /** Arguments including the name, as Redis counts arity. */
    public int arity() {
        return args.length;
    }

    @Override
    public String toString() {
        return "RespCommand" + Arrays.stream(args).map(a -> new String(a, StandardCharsets.UTF_8)).toList();
    }
}
