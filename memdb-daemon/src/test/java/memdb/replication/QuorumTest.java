package memdb.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import memdb.protocol.Responses.Value;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuorumTest {
    private static final List<Integer> THREE = List.of(1, 2, 3);

    @Test
    void aWriteSucceedsAtWAcksAndDuplicatesCountOnce() {
        WriteQuorum q = new WriteQuorum(THREE, 2);
        assertEquals(WriteQuorum.Outcome.PENDING, q.ack(1, false));
        assertEquals(WriteQuorum.Outcome.PENDING, q.ack(1, false));
        assertEquals(WriteQuorum.Outcome.SUCCEEDED, q.ack(3, true));
        assertTrue(q.superseded());
        assertEquals(WriteQuorum.Outcome.SUCCEEDED, q.fail(2));
    }

    @Test
    void aWriteFailsAsSoonAsWIsOutOfReach() {
        WriteQuorum q = new WriteQuorum(THREE, 2);
        assertEquals(WriteQuorum.Outcome.PENDING, q.fail(1));
        assertEquals(WriteQuorum.Outcome.FAILED, q.fail(2));
        assertEquals(WriteQuorum.Outcome.FAILED, q.ack(3, false));
        assertFalse(q.superseded());
    }

    @Test
    void acksFromStrangersAreIgnored() {
        WriteQuorum q = new WriteQuorum(THREE, 3);
        q.ack(7, false);
        assertEquals(0, q.acks());
    }

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= 200; s++) seeds.add(s);
        return seeds;
    }

    /** Against the obvious reference: after any order of acks and failures, decided iff counts say so. */
    @ParameterizedTest
    @MethodSource("seeds")
    void writeQuorumMatchesCounting(long seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(5);
        int w = 1 + random.nextInt(n);
        List<Integer> replicas = new ArrayList<>();
        for (int i = 1; i <= n; i++) replicas.add(i);
        WriteQuorum q = new WriteQuorum(replicas, w);
        List<Integer> order = new ArrayList<>(replicas);
        Collections.shuffle(order, random);
        int acks = 0;
        int fails = 0;
        WriteQuorum.Outcome firstDecision = null;
        for (int replica : order) {
            WriteQuorum.Outcome outcome;
            if (random.nextBoolean()) {
                acks++;
                outcome = q.ack(replica, false);
            } else {
                fails++;
                outcome = q.fail(replica);
            }
            WriteQuorum.Outcome expected = firstDecision != null ? firstDecision
                    : acks >= w ? WriteQuorum.Outcome.SUCCEEDED
                    : n - fails < w ? WriteQuorum.Outcome.FAILED : WriteQuorum.Outcome.PENDING;
            assertEquals(expected, outcome, "seed " + seed);
            if (firstDecision == null && expected != WriteQuorum.Outcome.PENDING) firstDecision = expected;
        }
        assertTrue(q.outcome() != WriteQuorum.Outcome.PENDING, "every replica answered, seed " + seed);
    }

    @Test
    void aReadReturnsTheNewestVersionAndRepairsTheStaleReplicas() {
        ReadQuorum q = new ReadQuorum(THREE, 2);
        Value old = Value.present(new Timestamp(5, 1), new byte[] {1});
        Value tombstone = Value.tombstone(new Timestamp(9, 2));
        assertEquals(ReadQuorum.Outcome.PENDING, q.answer(1, old));
        assertEquals(ReadQuorum.Outcome.SUCCEEDED, q.answer(2, tombstone));
        assertEquals(tombstone, q.newest(), "a newer delete wins over an older value");
        q.answer(3, Value.ABSENT);
        assertTrue(q.complete());
        assertEquals(List.of(new ReadQuorum.Repair(1, tombstone), new ReadQuorum.Repair(3, tombstone)), q.repairs());
    }

    @Test
    void nothingToRepairWhenNoReplicaHoldsAnything() {
        ReadQuorum q = new ReadQuorum(THREE, 1);
        q.answer(1, Value.ABSENT);
        q.answer(2, Value.ABSENT);
        assertEquals(Value.ABSENT, q.newest());
        assertTrue(q.repairs().isEmpty());
    }

    @Test
    void aReadFailsWhenTooFewReplicasCanAnswer() {
        ReadQuorum q = new ReadQuorum(THREE, 3);
        q.answer(1, Value.ABSENT);
        assertEquals(ReadQuorum.Outcome.FAILED, q.fail(2));
    }
}
