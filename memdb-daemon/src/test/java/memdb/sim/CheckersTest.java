package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/** The checkers on hand-written histories: each rule fires when broken and stays quiet otherwise. */
class CheckersTest {
    private final History history = new History();

    private History.Operation done(History.Kind kind, String value, Consistency level, Response response) {
        History.Operation op = history.invoke(1, kind, "k0", value, level, 1, 0);
        history.complete(op, response, null, 0);
        return op;
    }

    private static Responses.Value present(String value, long lamport) {
        return Responses.Value.present(new Timestamp(lamport, 1), value.getBytes(StandardCharsets.UTF_8));
    }

    private static Responses.Written written(long lamport) {
        return new Responses.Written(new Timestamp(lamport, 1), false, false);
    }

    @Test
    void aQuorumReadAfterAnAcknowledgedQuorumWriteMustSeeIt() {
        done(History.Kind.SET, "a", Consistency.QUORUM, written(1));
        done(History.Kind.SET, "b", Consistency.QUORUM, written(2));
        done(History.Kind.GET, null, Consistency.QUORUM, present("b", 2));
        assertEquals(List.of(), Checkers.quorumReadsSeeAcknowledgedWrites(history));
        done(History.Kind.GET, null, Consistency.QUORUM, present("a", 1));
        done(History.Kind.GET, null, Consistency.ONE, present("a", 1)); // ONE promises nothing
        assertEquals(1, Checkers.quorumReadsSeeAcknowledgedWrites(history).size());
    }

    @Test
    void absentNeedsADeleteThatCouldBeNewer() {
        done(History.Kind.SET, "a", Consistency.QUORUM, written(1));
        done(History.Kind.GET, null, Consistency.QUORUM, Responses.Value.ABSENT);
        assertEquals(1, Checkers.quorumReadsSeeAcknowledgedWrites(history).size());
        done(History.Kind.DELETE, null, Consistency.QUORUM, new Responses.Error(ErrorCode.TIMEOUT, "outcome unknown"));
        done(History.Kind.CONTAINS, null, Consistency.ALL, new Responses.Bool(false)); // the timed-out delete may have won
        assertEquals(1, Checkers.quorumReadsSeeAcknowledgedWrites(history).size());
    }

    @Test
    void valuesMustHaveBeenWrittenWithTheirOwnTimestamp() {
        done(History.Kind.SET, "a", Consistency.ONE, written(1));
        done(History.Kind.GET, null, Consistency.ONE, present("a", 1));
        assertEquals(List.of(), Checkers.noPhantomValues(history));
        done(History.Kind.GET, null, Consistency.ONE, present("never", 3));
        done(History.Kind.GET, null, Consistency.ONE, present("a", 2));
        done(History.Kind.SET, "b", Consistency.ONE, written(4));
        done(History.Kind.SET, "c", Consistency.ONE, new Responses.Error(ErrorCode.TIMEOUT, "outcome unknown"));
        done(History.Kind.GET, null, Consistency.ONE, present("c", 4)); // 4 was given to b: a reused timestamp
        List<String> violations = Checkers.noPhantomValues(history);
        assertEquals(3, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("never written"), violations::toString);
        assertTrue(violations.get(1).contains("differs"), violations::toString);
        assertTrue(violations.get(2).contains("reused"), violations::toString);
    }
}
