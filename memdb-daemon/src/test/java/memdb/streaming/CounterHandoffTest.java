package memdb.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.protocol.CounterMessages;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.replication.Outbox;
import memdb.ring.Ring;
import org.junit.jupiter.api.Test;

class CounterHandoffTest {
    private static final int SELF = 4;
    private static final Ring RING = Ring.of(Set.of(1, 2, 3), 16); // node 4 is not in it: it replicates nothing

    @Test
    void aCounterThisNodeNoLongerReplicatesGoesToEachOfItsReplicasUntilEachAnswered() {
        CounterStore counters = new CounterStore();
        PnCounter two = PnCounter.EMPTY.add(7, 1, 2);
        counters.merge(Key.of("c"), two, null);
        long[] next = {1};
        CounterHandoff handoff = new CounterHandoff(counters, () -> next[0]++, 100);
        handoff.plan(RING, SELF, 3);
        assertFalse(handoff.done());

        Sent out = new Sent();
        handoff.tick(0, node -> node != 3, out); // node 3 is down: nothing to it yet
        assertEquals(2, out.sent.size());
        for (Object[] s : out.sent) assertEquals(new CounterMessages.Merge(Key.of("c"), two), s[2]);

        long toNode1 = (long) out.sent.get(0)[1];
        long toNode2 = (long) out.sent.get(1)[1];
        assertTrue((toNode1 & Streamer.CORRELATION_BIT) != 0, "a streaming correlation id");
        assertTrue(handoff.onResponse(toNode1, new CounterMessages.State(two)));
        assertTrue(handoff.onFailure(toNode2));
        assertFalse(handoff.onResponse(99, new CounterMessages.State(two)), "not one of its ids");

        out.sent.clear();
        handoff.tick(10, node -> true, out); // node 2 failed: again; node 3 is up now
        assertEquals(List.of(2, 3), out.sent.stream().map(s -> (int) s[0]).sorted().toList());
        out.sent.clear();
        handoff.tick(50, node -> true, out);
        assertEquals(0, out.sent.size(), "one message in flight per replica until the retry interval");
        handoff.tick(110, node -> true, out);
        assertEquals(2, out.sent.size(), "unanswered: sent again");
        for (Object[] s : out.sent) handoff.onResponse((long) s[1], new CounterMessages.State(two));
        assertTrue(handoff.done());
        assertEquals(3, handoff.handedOver());
    }

    @Test
    void aCounterThisNodeStillReplicatesStays() {
        CounterStore counters = new CounterStore();
        counters.merge(Key.of("c"), PnCounter.EMPTY.add(7, 1, 2), null);
        CounterHandoff handoff = new CounterHandoff(counters, () -> 1, 100);
        handoff.plan(Ring.of(Set.of(1, 2, SELF), 16), SELF, 3);
        assertTrue(handoff.done());
    }

    private static final class Sent implements Outbox {
        final List<Object[]> sent = new ArrayList<>();

        public void reply(Object replyTo, Response response) { throw new AssertionError(); }

        public void send(int nodeId, long correlationId, Request request) { sent.add(new Object[] {nodeId, correlationId, request}); }

        public void sendToAddress(String address, long correlationId, Request request) { throw new AssertionError(); }
    }
}
