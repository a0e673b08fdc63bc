package memdb.resp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import memdb.protocol.Request;
import memdb.protocol.Response;

/**
 * One RESP connection's state and command logic, without Netty (the RESP twin of memdb.net.Session): it
 * decides for each command whether the connection answers it at once or hands native requests to the core,
 * and tells its {@link Outcome} so (a call rather than a decision object, so that a GET or SET costs no
 * allocation here beyond its native request).
 *
 * <p>Invariants: {@link #handle} makes exactly one call on its outcome per command, as its last step (so a
 * command that fails halfway has made none); before AUTH (or HELLO ... AUTH) with the cluster's key, only
 * AUTH, HELLO and QUIT are served, everything else is {@code -NOAUTH}; keys are compared in constant time;
 * a wrong key is {@code -WRONGPASS} ({@link Outcome#wrongKey}: answered after the port's slow-down) and
 * closes the connection (as a wrong key does on the native port). Only RESP2 and database 0 exist. Used
 * by one I/O thread at a time.
 */
public final class RespSession {
    /** What to do with one command: {@link #handle} calls exactly one of these per command. */
    public interface Outcome {
        /** Answer {@code reply} (in its turn), then close the connection if {@code thenClose}. */
        void reply(RespReply reply, boolean thenClose);

        /**
         * A wrong key (AUTH, HELLO ... AUTH): answer {@link RespErrors#WRONGPASS} in its turn once the port's
         * slow-down for the remote address has passed (memdb.auth.AuthThrottle), then close the connection.
         */
        void wrongKey();

        /** Hand {@code request} to the core; {@code reply} makes the command's reply from its response. */
        void submit(Request request, Function<Response, RespReply> reply);

        /**
         * Hand {@code requests} (at least one; the array is the outcome's from now on) to the core; {@code
         * combine} makes the reply from their responses, in the same order.
         */
        void submit(Request[] requests, Function<Response[], RespReply> combine);
    }

    private static final String NOAUTH_HELLO = "NOAUTH HELLO must be called with the client already authenticated, otherwise "
            + "the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
            + "protocol version at the same time";

    private final byte[] authKey;
    private final ServerFacts facts;
    private final long connectionId;
    private final ToolCommands tools;
    private boolean authenticated;
    private String clientName;

    public RespSession(String authKey, ServerFacts facts, long connectionId, java.util.function.LongSupplier wallClockMs) {
        this.authKey = authKey.getBytes(StandardCharsets.UTF_8);
        this.facts = facts;
        this.connectionId = connectionId;
        this.tools = new ToolCommands(facts, wallClockMs);
    }

    /** Decides what {@code c} needs and tells {@code out} (one call). */
    public void handle(RespCommand c, Outcome out) {
        CommandSpec spec = c.spec();
        if (spec == null) {
            out.reply(authenticated ? RespErrors.unknownCommand(c) : RespErrors.NOAUTH, false);
            return;
        }
        if (!spec.acceptsArity(c.arity())) {
            out.reply(RespErrors.wrongArity(spec), false);
            return;
        }
        if (!authenticated && spec != CommandSpec.AUTH && spec != CommandSpec.HELLO && spec != CommandSpec.QUIT) {
            out.reply(RespErrors.NOAUTH, false);
            return;
        }
        switch (spec) {
            case GET -> DataCommands.get(c, out);
            case SET -> DataCommands.set(c, out);
            case DEL -> DataCommands.del(c, out);
            case EXISTS -> DataCommands.exists(c, out);
            case MGET -> DataCommands.mget(c, out);
            case MSET -> DataCommands.mset(c, out);
            case INCR, INCRBY, DECR, DECRBY -> DataCommands.counter(c, spec, out);
            case DBSIZE -> tools.dbsize(out);
            case INFO -> tools.info(c, out);
            case AUTH, HELLO -> {
                RespReply reply = spec == CommandSpec.AUTH ? auth(c) : hello(c);
                if (reply == null) out.wrongKey();
                else out.reply(reply, false);
            }
            case QUIT -> out.reply(RespReply.OK, true);
            case PING -> out.reply(c.arity() == 1 ? RespReply.PONG : c.arity() == 2 ? new RespReply.Bulk(c.arg(1)) : RespErrors.wrongArity(spec), false);
            case ECHO -> out.reply(new RespReply.Bulk(c.arg(1)), false);
            case SELECT -> out.reply(select(c), false);
            case COMMAND -> out.reply(tools.command(c), false);
            case CONFIG -> out.reply(tools.config(c), false);
            case CLIENT -> out.reply(client(c), false);
        }
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /** AUTH key, or AUTH default key (Redis 6's AUTH username password, with the only user there is); null for a wrong key. */
    private RespReply auth(RespCommand c) {
        if (c.arity() > 3) return RespReply.Error.err("syntax error");
        boolean ok = authenticate(c.arity() == 3 ? c.text(1) : null, c.arg(c.arity() - 1));
        return ok ? RespReply.OK : null;
    }

    /** Whether the user (null: none given) and key are right; if so, the connection is authenticated from now on. */
    private boolean authenticate(String userOrNull, byte[] key) {
        boolean keyOk = MessageDigest.isEqual(authKey, key);
        boolean ok = keyOk && (userOrNull == null || userOrNull.equals("default"));
        if (ok) authenticated = true;
        return ok;
    }

    /** HELLO [2 [AUTH user key] [SETNAME name]]: RESP2 only; null for a wrong key. */
    private RespReply hello(RespCommand c) {
        if (c.arity() >= 2) {
            Long version = parseLong(c.text(1));
            if (version == null) return RespReply.Error.err("Protocol version is not an integer or out of range");
            if (version != 2) {
                return new RespReply.Error("NOPROTO unsupported protocol version " + version + ": this server speaks RESP2 only (HELLO 2)");
            }
        }
        String name = clientName;
        for (int i = 2; i < c.arity(); i++) {
            String option = c.text(i).toUpperCase(java.util.Locale.ROOT);
            if (option.equals("AUTH") && i + 2 < c.arity()) {
                if (!authenticate(c.text(i + 1), c.arg(i + 2))) return null;
                i += 2;
            } else if (option.equals("SETNAME") && i + 1 < c.arity()) {
                name = c.text(++i);
            } else {
                return RespReply.Error.err("Syntax error in HELLO option '" + c.text(i) + "'");
            }
        }
        if (!authenticated) return new RespReply.Error(NOAUTH_HELLO);
        clientName = name;
        return RespReply.Array.of(RespReply.Bulk.of("server"), RespReply.Bulk.of("memdb"),
                RespReply.Bulk.of("version"), RespReply.Bulk.of(facts.version()),
                RespReply.Bulk.of("proto"), new RespReply.Integer(2),
                RespReply.Bulk.of("id"), new RespReply.Integer(connectionId),
                RespReply.Bulk.of("mode"), RespReply.Bulk.of("standalone"),
                RespReply.Bulk.of("role"), RespReply.Bulk.of("master"),
                RespReply.Bulk.of("modules"), RespReply.Array.of());
    }

    private static RespReply select(RespCommand c) {
        Long db = parseLong(c.text(1));
        if (db == null) return RespReply.Error.err("value is not an integer or out of range");
        return db == 0 ? RespReply.OK : RespReply.Error.err("DB index is out of range (MemDB has database 0 only)");
    }

    /** CLIENT ID | GETNAME | SETNAME name | SETINFO attr value (accepted and ignored), as client libraries send on connect. */
    private RespReply client(RespCommand c) {
        String sub = c.text(1).toUpperCase(java.util.Locale.ROOT);
        return switch (sub) {
            case "ID" -> c.arity() == 2 ? new RespReply.Integer(connectionId) : RespErrors.wrongArity(CommandSpec.CLIENT);
            case "GETNAME" -> clientName == null ? RespReply.NULL : RespReply.Bulk.of(clientName);
            case "SETNAME" -> {
                if (c.arity() != 3) yield RespErrors.wrongArity(CommandSpec.CLIENT);
                clientName = c.text(2);
                yield RespReply.OK;
            }
            case "SETINFO" -> c.arity() == 4 ? RespReply.OK : RespErrors.wrongArity(CommandSpec.CLIENT);
            default -> RespErrors.unknownSubcommand(c);
        };
    }

    /** A whole decimal number as Redis reads one (no sign other than a leading '-', no spaces), or null. */
    static Long parseLong(String text) {
        if (text.isEmpty() || text.length() > 20 || text.startsWith("+")) return null;
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
