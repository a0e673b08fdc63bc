package memdb.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
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
 * Each command becomes a {@link RespSession.Submit} whose combiner turns the responses, in request order,
 * into one RESP reply. Multi-key commands (DEL, EXISTS, MGET, MSET) are one request per key and are not
 * atomic: an error on any key is the command's reply, the other keys' effects stay.
 */
final class DataCommands {
    private static final List<String> SET_OPTIONS = List.of("EX", "PX", "EXAT", "PXAT", "NX", "XX", "KEEPTTL", "GET");

    private DataCommands() {}

    static RespSession.Action get(RespCommand c) {
        return submit(List.of(new Requests.Get(key(c, 1), Consistency.DEFAULT)), r -> value(r.get(0)));
    }

    static RespSession.Action set(RespCommand c) {
        if (c.arity() > 3) {
            String option = c.text(3).toUpperCase(Locale.ROOT);
            if (!SET_OPTIONS.contains(option)) return reply(RespReply.Error.err("syntax error"));
            return reply(RespReply.Error.err("SET option '" + option + "' is not supported by MemDB (keys do not expire, "
                    + "and SET is unconditional): use SET key value"));
        }
        return submit(List.of(new Requests.Set(key(c, 1), c.arg(2), Consistency.DEFAULT)), r -> written(r.get(0)));
    }

    static RespSession.Action del(RespCommand c) {
        List<Request> requests = new ArrayList<>();
        for (int i = 1; i < c.arity(); i++) requests.add(new Requests.Delete(key(c, i), Consistency.DEFAULT));
        return submit(requests, responses -> {
            long deleted = 0;
            for (Response r : responses) {
                if (r instanceof Responses.Error e) return RespErrors.of(e);
                if (((Responses.Written) r).existed()) deleted++;
            }
            return new RespReply.Integer(deleted);
        });
    }

    static RespSession.Action exists(RespCommand c) {
        List<Request> requests = new ArrayList<>();
        for (int i = 1; i < c.arity(); i++) requests.add(new Requests.Contains(key(c, i), Consistency.DEFAULT));
        return submit(requests, responses -> {
            long present = 0;
            for (Response r : responses) {
                if (r instanceof Responses.Error e) return RespErrors.of(e);
                if (((Responses.Bool) r).value()) present++;
            }
            return new RespReply.Integer(present);
        });
    }

    static RespSession.Action mget(RespCommand c) {
        List<Request> requests = new ArrayList<>();
        for (int i = 1; i < c.arity(); i++) requests.add(new Requests.Get(key(c, i), Consistency.DEFAULT));
        return submit(requests, responses -> {
            List<RespReply> values = new ArrayList<>(responses.size());
            for (Response r : responses) {
                if (r instanceof Responses.Error e) return RespErrors.of(e);
                values.add(value(r));
            }
            return new RespReply.Array(values);
        });
    }

    static RespSession.Action mset(RespCommand c) {
        if (c.arity() % 2 != 1) return reply(RespErrors.wrongArity(CommandSpec.MSET));
        List<Request> requests = new ArrayList<>();
        for (int i = 1; i < c.arity(); i += 2) requests.add(new Requests.Set(key(c, i), c.arg(i + 1), Consistency.DEFAULT));
        return submit(requests, responses -> {
            for (Response r : responses) if (r instanceof Responses.Error e) return RespErrors.of(e);
            return RespReply.OK;
        });
    }

    /**
     * INCR, INCRBY, DECR, DECRBY: the one place where counters meet RESP. {@code delta} is what the command
     * adds. Until the node has counter requests this answers an error; wiring them in is this method alone.
     */
    static RespSession.Action counter(RespCommand c, CommandSpec spec) {
        long by = 1;
        if (spec == CommandSpec.INCRBY || spec == CommandSpec.DECRBY) {
            Long parsed = RespSession.parseLong(c.text(2));
            if (parsed == null || (spec == CommandSpec.DECRBY && parsed == Long.MIN_VALUE)) {
                return reply(RespReply.Error.err("value is not an integer or out of range"));
            }
            by = parsed;
        }
        long delta = spec == CommandSpec.DECR || spec == CommandSpec.DECRBY ? -by : by;
        return counterRequest(key(c, 1), delta);
    }

    /**
     * Adds {@code delta} to the counter at {@code key} and answers its new value as an integer: a native
     * COUNTER_ADD at the node's default consistency. RESP has no retries of its own, so each command is one
     * logical increment with a fresh operation id (docs/counters.md).
     */
    private static RespSession.Action counterRequest(Key key, long delta) {
        long operationId = ThreadLocalRandom.current().nextLong();
        return submit(List.of(new CounterMessages.Add(key, operationId, delta, Consistency.DEFAULT)), r -> {
            if (r.get(0) instanceof Responses.Error e) return RespErrors.of(e);
            return new RespReply.Integer(((CounterMessages.State) r.get(0)).counter().value());
        });
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

    private static RespSession.Action submit(List<Request> requests, java.util.function.Function<List<Response>, RespReply> combine) {
        return new RespSession.Submit(requests, combine);
    }

    private static RespSession.Action reply(RespReply reply) {
        return new RespSession.Reply(reply, false);
    }
}
