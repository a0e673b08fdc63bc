package memdb.paxos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

class ProposerTest {
    private static final Key K = Key.of("locked");
    private final PaxosCluster cluster = new PaxosCluster();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Response cas(int via, String expected, String newValue) {
        return cluster.call(via, new PaxosMessages.Cas(K, expected == null ? null : b(expected), b(newValue)));
    }

    private String serialGet(int via) {
        Response r = cluster.call(via, new PaxosMessages.SerialGet(K));
        Responses.Value v = (Responses.Value) r;
        return v.isPresent() ? new String(v.value(), StandardCharsets.UTF_8) : null;
    }

    /** docs/cas.md: prepare (with the read folded in) and propose, then the answer; the commit is not waited for. */
    @Test
    void anUncontendedCasTakesTwoRoundTrips() {
        assertEquals(new Responses.Bool(true), cas(1, null, "false"));
        assertEquals(2, cluster.roundTrips);
        assertEquals(java.util.List.of("n1->n2 PAXOS_PREPARE", "n1->n3 PAXOS_PREPARE", "n1->n2 PAXOS_PROPOSE",
                "n1->n3 PAXOS_PROPOSE", "n1->n2 PAXOS_COMMIT", "n1->n3 PAXOS_COMMIT"), cluster.sent);
        cluster.sent.clear();
        assertEquals(new Responses.Bool(true), cas(2, "false", "true"));
        assertEquals(2, cluster.roundTrips);
        assertEquals("true", serialGet(3));
        assertEquals(1, cluster.roundTrips, "a serial read with nothing in progress is one round trip");
    }

    @Test
    void aCasWhoseExpectationDoesNotHoldAnswersFalseAndChangesNothing() {
        assertEquals(new Responses.Bool(true), cas(1, null, "false"));
        cluster.sent.clear();
        assertEquals(new Responses.Bool(false), cas(2, "true", "x"));
        assertEquals(new Responses.Bool(false), cas(3, null, "x"), "the key is not absent");
        assertTrue(cluster.sent.stream().noneMatch(s -> s.contains("PROPOSE")), "a false CAS proposes nothing: " + cluster.sent);
        assertEquals("false", serialGet(1));
        cluster.tick(10); // the commits of the first CAS have landed: plain reads see it too
        assertArrayEquals(b("false"), cluster.core(3).store().getValue(K));
    }

    @Test
    void aChosenValueWhoseCommitsWereLostIsFinishedByTheNextRound() {
        cluster.drop = (to, r) -> r instanceof PaxosMessages.Commit || to == 3;
        assertEquals(new Responses.Bool(true), cas(1, null, "v1"));
        assertEquals(null, cluster.core(2).store().getValue(K), "n2 accepted v1 but never heard of its commit");
        assertEquals(null, cluster.core(3).store().getValue(K));
        // n1 (which committed locally) is cut off: n2 and n3 alone must find v1 in n2's accepted state.
        cluster.drop = (to, r) -> to == 1;
        assertEquals("v1", serialGet(2));
        assertEquals(2, cluster.roundTrips, "the read finished v1 first (prepare, propose)");
        assertEquals(new Responses.Bool(true), cas(3, "v1", "v2"));
        cluster.drop = (to, r) -> false;
        assertEquals("v2", serialGet(1));
    }

    @Test
    void aCasRecognisesItsOwnValueWhenItFinishesIt() {
        // The proposals to n2 and n3 are lost: only n1 (the coordinator) accepted; after the phase timeout
        // the next round finds its own value in progress, finishes it, and answers true (not false, not unknown).
        cluster.drop = (to, r) -> r instanceof PaxosMessages.Propose;
        PaxosCluster.ClientHandle c = cluster.start(1, new PaxosMessages.Cas(K, null, b("mine")));
        for (int i = 0; i < 3 && cluster.answerOf(c) == null; i++) cluster.runUntilAnsweredOrIdle();
        cluster.drop = (to, r) -> false;
        cluster.runUntilAnswered();
        assertEquals(new Responses.Bool(true), cluster.answerOf(c));
        assertEquals("mine", serialGet(3));
    }

    @Test
    void twoContendingCasesOnAnAbsentKeyCannotBothSwap() {
        PaxosCluster.ClientHandle a = cluster.start(1, new PaxosMessages.Cas(K, null, b("a")));
        PaxosCluster.ClientHandle c = cluster.start(2, new PaxosMessages.Cas(K, null, b("c")));
        cluster.runUntilAnswered();
        Response ra = cluster.answerOf(a);
        Response rc = cluster.answerOf(c);
        boolean aSwapped = ra.equals(new Responses.Bool(true));
        boolean cSwapped = rc.equals(new Responses.Bool(true));
        assertTrue(!(aSwapped && cSwapped), ra + " " + rc);
        String value = serialGet(3);
        if (aSwapped) assertEquals("a", value);
        if (cSwapped) assertEquals("c", value);
        for (Response r : new Response[] {ra, rc}) {
            assertTrue(r instanceof Responses.Bool || (r instanceof Responses.Error e && e.code() == ErrorCode.UNKNOWN_OUTCOME), r::toString);
        }
    }

    @Test
    void noQuorumUpMeansNotApplied() {
        cluster.drop = (to, r) -> true;
        Response r = cas(1, null, "x");
        assertTrue(r instanceof Responses.Error e && e.code() == ErrorCode.UNAVAILABLE && e.message().contains("not applied"), r::toString);
    }
}
