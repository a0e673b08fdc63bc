package memdb.resp;

import memdb.protocol.ErrorCode;
import memdb.protocol.Responses;

/**
 * MemDB's error replies as RESP errors. The first word is the kind a Redis client looks at: {@code ERR}
 * for a bad argument, {@code WRONGTYPE} for a key of the other kind, {@code OOM} for a write refused by
 * max-memory (Redis's word for its maxmemory refusal), and MemDB's own code name for the rest ({@code UNAVAILABLE}, {@code TIMEOUT}, {@code OVERLOADED}, ...), followed by the node's sentence.
 */
final class RespErrors {
    static final RespReply NOAUTH = new RespReply.Error("NOAUTH Authentication required.");
    static final RespReply WRONGPASS = new RespReply.Error("WRONGPASS invalid username-password pair or user is disabled.");

    private RespErrors() {}

    static RespReply of(Responses.Error error) {
        String message = error.message() == null || error.message().isEmpty() ? error.code().name().toLowerCase() : error.message();
        if (error.code() == ErrorCode.OUT_OF_MEMORY) return new RespReply.Error("OOM " + message);
        return switch (error.code().kind()) {
            case INVALID_ARGUMENT -> RespReply.Error.err(message);
            case WRONG_TYPE -> new RespReply.Error("WRONGTYPE " + message);
            case PROTOCOL, AUTHENTICATION, UNAVAILABLE, TIMEOUT, SERVER -> new RespReply.Error(error.code().name() + " " + message);
        };
    }

    static RespReply wrongArity(CommandSpec spec) {
        return RespReply.Error.err("wrong number of arguments for '" + spec.lowerCaseName() + "' command");
    }

    /** Redis 7's wording: {@code ERR unknown command 'x', with args beginning with: 'a' 'b' }. */
    static RespReply unknownCommand(RespCommand c) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < c.arity() && args.length() < 128; i++) args.append('\'').append(truncate(c.text(i))).append("' ");
        return RespReply.Error.err("unknown command '" + truncate(c.text(0)) + "', with args beginning with: " + args);
    }

    static RespReply unknownSubcommand(RespCommand c) {
        return RespReply.Error.err("unknown subcommand '" + truncate(c.text(1)) + "'. Try " + c.name() + " HELP.");
    }

    private static String truncate(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128);
    }
}
