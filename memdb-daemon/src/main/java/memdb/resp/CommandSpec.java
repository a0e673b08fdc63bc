package memdb.resp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The commands the RESP listener knows, with Redis's arity convention (n: exactly n arguments counting
 * the name; -n: at least n) and the key positions that {@code COMMAND} reports to tools (first key, last
 * key, step; 0 0 0 for none, -1 as last for "to the end").
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

    private static final Map<String, CommandSpec> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

    private final int arity;
    private final List<String> flags;
    private final int firstKey;
    private final int lastKey;
    private final int step;

    CommandSpec(int arity, String flags, int firstKey, int lastKey, int step) {
        this.arity = arity;
        this.flags = List.of(flags.split(" "));
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.step = step;
    }

    /** The spec of a command by its upper-case name, or null when we do not know it. */
    static CommandSpec byName(String upperCaseName) {
        return BY_NAME.get(upperCaseName);
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
