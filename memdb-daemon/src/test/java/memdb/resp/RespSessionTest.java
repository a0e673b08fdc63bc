package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import memdb.protocol.Request;
import memdb.protocol.Response;
import org.junit.jupiter.api.Test;

/** The session on its own, through an outcome that records the calls it gets. */
class RespSessionTest {
    private static final String KEY = "s3cret";

    /** Records each call as a word. */
    private static final class Recorder implements RespSession.Outcome {
        final List<String> calls = new ArrayList<>();

        @Override
        public void reply(RespReply reply, boolean thenClose) {
            calls.add(thenClose ? "reply-then-close" : "reply");
        }

        @Override
        public void wrongKey() {
            calls.add("wrong-key");
        }

        @Override
        public void submit(Request request, Function<Response, RespReply> reply) {
            calls.add("submit " + request.getClass().getSimpleName());
        }

        @Override
        public void submit(Request[] requests, Function<Response[], RespReply> combine) {
            assertTrue(requests.length >= 1);
            calls.add("submit " + requests.length);
        }
    }

    private static RespSession session() {
        return new RespSession(KEY, new ServerFacts("test", 1, 6380, null, 100, 0), 7, () -> 0);
    }

    @Test
    void theCommonCommandsGoToTheCoreAsOneRequestPerKey() {
        RespSession session = session();
        Recorder out = new Recorder();
        for (String[] c : List.of(new String[] {"AUTH", KEY}, new String[] {"get", "k"}, new String[] {"SET", "k", "v"},
                new String[] {"Incr", "c"}, new String[] {"DEL", "a", "b"}, new String[] {"EXISTS", "a"},
                new String[] {"MGET", "a", "b", "c"}, new String[] {"MSET", "a", "1", "b", "2"}, new String[] {"PING"})) {
            session.handle(RespCommand.of(c), out);
        }
        assertEquals(List.of("reply", "submit Get", "submit Set", "submit Add", "submit 2", "submit 1", "submit 3", "submit 2", "reply"), out.calls);
    }

    /** Whatever the command (known or not, any arity, before or after AUTH), exactly one outcome. */
    @Test
    void everyCommandGetsExactlyOneOutcome() {
        List<String> words = new ArrayList<>();
        for (CommandSpec spec : CommandSpec.values()) words.add(spec.name());
        words.addAll(List.of("nosuch", KEY, "default", "2", "3", "-1", "x", "AUTH", "SETNAME", "GET", "INFO", "COUNT", "EX", "*", ""));
        for (int seed = 0; seed < 2_000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            RespSession session = session();
            for (int n = 0; n < 20; n++) {
                String[] args = new String[random.nextInt(1, 7)];
                for (int i = 0; i < args.length; i++) args[i] = words.get(random.nextInt(words.size()));
                if (random.nextInt(4) == 0) args = new String[] {"AUTH", KEY};
                Recorder out = new Recorder();
                session.handle(RespCommand.of(args), out);
                assertEquals(1, out.calls.size(), "seed " + seed + ": " + List.of(args) + " gave " + out.calls);
            }
        }
    }
}
