package memdb.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The data commands, translated to the native protocol's requests (one per key, at the node's default
 * consistency) so that they take exactly the native path through the core: coordinator, replicas, op log.
 * Each command is submitted to the session's {@link RespSession.Outcome} with a function that turns the
 * responses, in request order, into one RESP reply. Those functions capture nothing (so they are made
 * once, not per command), and a key or value is the command's argument array itself, not a copy.
 * Multi-key commands (DEL, EXISTS, MGET, MSET) are one request per key and are not atomic: an error on
 * any key is the command's reply, the other keys' effects stay.
 */
final class DataCommands {
    private static final List<String> SET_OPTIONS = List.of("EX", "PX", "EXAT", "PXAT", "NX", "XX", "KEEPTTL", "GET");

    private DataCommands() {}

    static void get(RespCommand c, RespSession.Outcome out) {
        out.submit(new Requests.Get(key(c, 1), Consistency.DEFAULT), DataCommands::value);
    }

    static void set(RespCommand c, RespSession.Outcome out) {
        if (c.arity() > 3) {
            String option = c.text(3).toUpperCase(Locale.ROOT);
            out.reply(SET_OPTIONS.contains(option)
                    ? RespReply.Error.err("SET option '" + option + "' is not supported by MemDB (keys do not expire, "
                            + "and SET is unconditional): use SET key value")
                    : RespReply.Error.err("syntax error"), false);
            return;
        }
        out.submit(new Requests.Set(key(c, 1), c.arg(2), Consistency.DEFAULT), DataCommands::written);
    }

    static void del(RespCommand c, RespSession.Outcome out) {
        submitPerKey(c, 1, i -> new Requests.Delete(key(c, i), Consistency.DEFAULT), out, responses -> {
            long deleted = 0;
            for (Response r : responses) {
                if (r instanceof Responses.Error e) return RespErrors.of(e);
                if (((Responses.Written) r).existed()) deleted++;
            }
            return new RespReply.Integer(deleted);
        });
    }

    static void exists(RespCommand c, RespSession.Outcome out) {
        submitPerKey(c, 1, i -> new Requests.Contains(key(c, i), Consistency.DEFAULT), out, responses -> {
            long present = 0;
            for (Response r : responses) {
                if (r instanceof Responses.Error e) return RespErrors.of(e);
                if (((Responses.Bool) r).value()) present++;
            }
            return new RespReply.Integer(present);
        });
    }

    static void mget(RespCommand c, RespSession.Outcome out) {
        submitPerKey(c, 1, i -> new Requests.Get(key(c, i), Consistency.DEFAULT), out, responses -> {
            List<RespReply> values = new ArrayList<>(responses.length);
            for (Response r : responses) {
                if (r instanceof Responses.Error e) return RespErrors.of(e);
                values.add(value(r));
            }
            return new RespReply.Array(values);
        });
    }

    static void mset(RespCommand c, RespSession.Outcome out) {
        if (c.arity() % 2 != 1) {
            out.reply(RespErrors.wrongArity(CommandSpec.MSET), false);
            return;
        }
        submitPerKey(c, 2, i -> new Requests.Set(key(c, i), c.arg(i + 1), Consistency.DEFAULT), out, responses -> {
            for (Response r : responses) if (r instanceof Responses.Error e) return RespErrors.of(e);
            return RespReply.OK;
        });
    }

    /**
     * INCR, INCRBY, DECR, DECRBY: the one place where counters meet RESP: a native COUNTER_ADD at the node's
     * default consistency that adds what the command adds, answered with the counter's new value. RESP has
     * no retries of its own, so each command is one logical increment with a fresh operation id
     * (docs/counters.md).
     */
    static void counter(RespCommand c, CommandSpec spec, RespSession.Outcome out) {
        long by = 1;
        if (spec == CommandSpec.INCRBY || spec == CommandSpec.DECRBY) {
            Long parsed = RespSession.parseLong(c.text(2));
            if (parsed == null || (spec == CommandSpec.DECRBY && parsed == Long.MIN_VALUE)) {
                out.reply(RespReply.Error.err("value is not an integer or out of range"), false);
                return;
            }
            by = parsed;
        }
        long delta = spec == CommandSpec.DECR || spec == CommandSpec.DECRBY ? -by : by;
        long operationId = ThreadLocalRandom.current().nextLong();
        out.submit(new CounterMessages.Add(key(c, 1), operationId, delta, Consistency.DEFAULT), DataCommands::counterValue);
    }

    /**
     * One request per key of a command whose keys start at argument 1, every {@code step} arguments:
     * {@code request} makes the request for the key at argument i.
     */
    private static void submitPerKey(RespCommand c, int step, IntFunction<Request> request, RespSession.Outcome out,
                                     java.util.function.Function<Response[], RespReply> combine) {
        Request[] requests = new Request[(c.arity() - 1) / step];
        for (int k = 0; k < requests.length; k++) requests[k] = request.apply(1 + k * step);
        out.submit(requests, combine);
    }

    private static Key key(RespCommand c, int i) {
        return Key.wrap(c.arg(i));
    }

    private static RespReply value(Response r) {
        if (r instanceof Responses.Error e) return RespErrors.of(e);
        Responses.Value v = (Responses.Value) r;
        return v.isPresent() ? new RespReply.Bulk(v.value()) : RespReply.NULL;
    }

    private static RespReply written(Response r) {
        if (r instanceof Responses.Error e) return RespErrors.of(e);
        return RespReply.OK;
    }

    private static RespReply counterValue(Response r) {
        if (r instanceof Responses.Error e) return RespErrors.of(e);
        return new RespReply.Integer(((CounterMessages.State) r).counter().value());
    }
}
