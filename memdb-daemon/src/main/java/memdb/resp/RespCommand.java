package memdb.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** One decoded client command: its arguments as raw bytes, the command's name first (never empty). */
public record RespCommand(List<byte[]> args) {
    public RespCommand {
        if (args.isEmpty()) throw new IllegalArgumentException("a command has at least its name");
        args = List.copyOf(args);
    }

    public static RespCommand of(String... args) {
        return new RespCommand(java.util.Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** The command's name in upper case ({@code GET}); names are ASCII. */
    public String name() {
        return text(0).toUpperCase(Locale.ROOT);
    }

    /** Argument {@code i} as text (UTF-8). */
    public String text(int i) {
        return new String(args.get(i), StandardCharsets.UTF_8);
    }

    public byte[] arg(int i) {
        return args.get(i);
    }

    /** Arguments including the name, as Redis counts arity. */
    public int arity() {
        return args.size();
    }

    @Override
    public String toString() {
        return "RespCommand" + args.stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList();
    }
}
