package memdb.paxos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import memdb.oplog.OpLog;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages.Promise;
import memdb.protocol.Timestamp;
import memdb.replication.Replica;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcceptorTest {
    private static final Key K = Key.of("k");
    private static final Timestamp B1 = new Timestamp(10, 1);
    private static final Timestamp B2 = new Timestamp(10, 2);
    private static final Timestamp B3 = new Timestamp(11, 1);

    private final List<Object[]> records = new ArrayList<>();
    private Store store;
    private Acceptor acceptor;

    @BeforeEach
    void setUp() {
        store = new Store();
        acceptor = new Acceptor(new AcceptorStates(), new Replica(store, log()), log());
    }

    private OpLog log() {
        return new OpLog() {
            public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
                records.add(new Object[] {op, key, timestamp, value});
                return records.size();
            }

            public void commit(Runnable afterDurable) {
                afterDurable.run();
            }

            public void close() {}
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void promisesAHigherBallotAndRefusesALowerOne() {
        Promise first = acceptor.prepare(K, B2);
        assertTrue(first.promised());
        assertFalse(first.hasAccepted());
        assertEquals(memdb.protocol.Responses.Value.ABSENT, first.current());
        assertTrue(acceptor.takeFsyncNeeded(), "a promise must be fsynced before it is answered");
        Promise lower = acceptor.prepare(K, B1);
        assertFalse(lower.promised());
        assertEquals(B2, lower.ballot(), "a refusal names the floor to beat");
        assertTrue(acceptor.prepare(K, B2).promised(), "the same ballot again (a duplicate) is promised again");
        assertFalse(acceptor.propose(K, B1, B1, bytes("x")).accepted());
    }

    /**
     * A duplicated proposal whose first copy was accepted is answered "accepted" again, even after a higher
     * promise: a refusal would tell the proposer that its value sits nowhere here (CAS seed 1335).
     */
    @Test
    void aDuplicateOfAnAcceptedProposalIsAnsweredAcceptedAfterAHigherPromise() {
        assertTrue(acceptor.prepare(K, B1).promised());
        assertTrue(acceptor.propose(K, B1, B1, bytes("v")).accepted());
        assertTrue(acceptor.prepare(K, B2).promised());
        int before = records.size();
        assertTrue(acceptor.propose(K, B1, B1, bytes("v")).accepted(), "the copy of what it accepted");
        assertEquals(before, records.size(), "nothing new to log");
        assertFalse(acceptor.propose(K, new Timestamp(9, 5), new Timestamp(9, 5), bytes("w")).accepted(), "another proposal below the promise");
        Promise promise = acceptor.prepare(K, B3);
        assertEquals(B1, promise.acceptedBallot());
    }

    @Test
    void aPromiseCarriesTheAcceptedProposalAndTheStoredValue() {
        store.apply(K, Versioned.value(new Timestamp(5, 3), bytes("old")));
        assertTrue(acceptor.prepare(K, B1).promised());
        assertTrue(acceptor.propose(K, B1, new Timestamp(9, 1), bytes("new")).accepted());
        Promise next = acceptor.prepare(K, B3);
        assertTrue(next.promised());
        assertEquals(B1, next.acceptedBallot());
        assertEquals(new Timestamp(9, 1), next.acceptedOrigin());
        assertArrayEquals(bytes("new"), next.acceptedValue());
        assertArrayEquals(bytes("old"), next.current().value());
        assertFalse(acceptor.propose(K, B2, B2, bytes("late")).accepted(), "B2 < B3 was promised away");
    }

    @Test
    void theStoredVersionIsAFloorAndACommitDropsTheState() {
        assertTrue(acceptor.prepare(K, B1).promised());
        assertTrue(acceptor.propose(K, B1, B1, bytes("v")).accepted());
        assertEquals(1, acceptor.keysWithState());
        acceptor.commit(K, B1, B1, bytes("v"));
        assertEquals(0, acceptor.keysWithState(), "committed state is dropped: memory stays bounded");
        assertArrayEquals(bytes("v"), store.getValue(K));
        assertEquals(B1, store.get(K).timestamp(), "the chosen value is stored with its ballot as timestamp");
        Promise again = acceptor.prepare(K, B1);
        assertFalse(again.promised(), "a ballot at or below the stored version cannot start again");
        assertTrue(acceptor.prepare(K, B3).promised());
        assertFalse(acceptor.prepare(K, B3).hasAccepted());
    }

    @Test
    void replayRestoresPromisesAndAcceptsAndPrunesCommittedOnes() {
        acceptor.prepare(K, B1);
        acceptor.propose(K, B1, B1, bytes("v"));
        acceptor.prepare(Key.of("other"), B3);
        AcceptorStates restored = new AcceptorStates();
        Store replayed = new Store();
        for (Object[] r : records) restored.restore((OpLog.Op) r[0], (Key) r[1], (Timestamp) r[2], (byte[]) r[3]);
        restored.prune(replayed);
        Acceptor afterRestart = new Acceptor(restored, new Replica(replayed, log()), log());
        assertFalse(afterRestart.prepare(Key.of("other"), B2).promised(), "the promise of B3 survived the restart");
        Promise p = afterRestart.prepare(K, B3);
        assertEquals(B1, p.acceptedBallot(), "the accepted proposal survived the restart");
        assertArrayEquals(bytes("v"), p.acceptedValue());

        replayed.apply(K, Versioned.value(B3, bytes("committed")));
        restored.prune(replayed);
        assertEquals(1, restored.size(), "k's state is overtaken by the stored version; 'other' keeps its promise");
    }

    @Test
    void aBadKeyIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(memdb.protocol.MemDbException.class,
                () -> acceptor.prepare(Key.wrap(new byte[0]), B1));
    }
}
