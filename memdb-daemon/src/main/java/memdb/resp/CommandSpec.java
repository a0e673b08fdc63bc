package memdb.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The commands the RESP listener knows, with Redis's arity convention (n: exactly n arguments counting
 * the name; -n: at least n) and the key positions that {@code COMMAND} reports to tools (first key, last
 * key, step; 0 0 0 for none, -1 as last for "to the end").
 *
 * <p>A command is looked up from its name's bytes as they came ({@link #byName}), without making a String:
 * names are ASCII letters only (checked when the class loads), compared without regard to ASCII case as
 * Redis does; the candidates are the names of the same length, in declaration order.
 */
enum CommandSpec {
    PING(-1, "fast", 0, 0, 0),
    ECHO(2, "fast", 0, 0, 0),
    AUTH(-2, "noscript loading stale fast no_auth", 0, 0, 0),
    HELLO(-1, "noscript loading stale fast no_auth", 0, 0, 0),
    SELECT(2, "loading stale fast", 0, 0, 0),
    QUIT(-1, "noscript loading stale fast no_auth", 0, 0, 0),
    GET(2, "readonly fast", 1, 1, 1),
    SET(-3, "write denyoom", 1, 1, 1),
    DEL(-2, "write", 1, -1, 1),
    EXISTS(-2, "readonly fast", 1, -1, 1),
    MGET(-2, "readonly fast", 1, -1, 1),
    MSET(-3, "write denyoom", 1, -1, 2),
    INCR(2, "write denyoom fast", 1, 1, 1),
    INCRBY(3, "write denyoom fast", 1, 1, 1),
    DECR(2, "write denyoom fast", 1, 1, 1),
    DECRBY(3, "write denyoom fast", 1, 1, 1),
    DBSIZE(1, "readonly fast", 0, 0, 0),
    COMMAND(-1, "loading stale", 0, 0, 0),
    CONFIG(-2, "admin noscript loading stale", 0, 0, 0),
    INFO(-1, "loading stale", 0, 0, 0),
    CLIENT(-2, "noscript loading stale", 0, 0, 0);

    /** The commands by the length of their names: index n holds those with n-letter names. */
    private static final CommandSpec[][] BY_LENGTH = byLength();

    private final int arity;
    private final List<String> flags;
    private final int firstKey;
    private final int lastKey;
    private final int step;
    /** The name in lower case, ASCII: what {@link #byName} compares with. */
    private final byte[] nameLowerAscii;

    CommandSpec(int arity, String flags, int firstKey, int lastKey, int step) {
        this.arity = arity;
        this.flags = List.of(flags.split(" "));
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.step = step;
        this.nameLowerAscii = name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    private static CommandSpec[][] byLength() {
        int longest = Arrays.stream(values()).mapToInt(spec -> spec.name().length()).max().orElseThrow();
        CommandSpec[][] byLength = new CommandSpec[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = length;
            byLength[length] = Arrays.stream(values()).filter(spec -> spec.name().length() == n).toArray(CommandSpec[]::new);
        }
        for (CommandSpec spec : values()) {
            if (!spec.name().matches("[A-Z]+")) throw new IllegalStateException("a command name that is not A-Z only: " + spec);
        }
        return byLength;
    }

    /** The spec of the command named {@code name} (ASCII, any case), or null when we do not know it. */
    static CommandSpec byName(byte[] name) {
        if (name.length >= BY_LENGTH.length) return null;
        for (CommandSpec spec : BY_LENGTH[name.length]) {
            if (spec.isNamed(name)) return spec;
        }
        return null;
    }

    /**
     * Whether {@code name} (as long as this one's) is this command's name in any case. Setting bit 0x20 turns
     * an ASCII capital into its small letter and leaves a small letter as it is; since our names are letters
     * only, no other byte can meet a small letter that way (bytes above 0x7f are negative and never do).
     */
    private boolean isNamed(byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if ((name[i] | 0x20) != nameLowerAscii[i]) return false;
        }
        return true;
    }

    /** Whether {@code argumentCount} (counting the name) fits this command's arity. */
    boolean acceptsArity(int argumentCount) {
        return arity >= 0 ? argumentCount == arity : argumentCount >= -arity;
    }

    String lowerCaseName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The COMMAND / COMMAND INFO entry: name, arity, flags, first key, last key, step (Redis's first six fields). */
    RespReply describe() {
        return RespReply.Array.of(RespReply.Bulk.of(lowerCaseName()), new RespReply.Integer(arity),
                new RespReply.Array(flags.stream().<RespReply>map(RespReply.SimpleString::new).toList()),
                new RespReply.Integer(firstKey), new RespReply.Integer(lastKey), new RespReply.Integer(step));
    }
}
