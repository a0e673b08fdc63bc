package memdb.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import memdb.cluster.Membership;
import memdb.counter.CounterStore;
import memdb.oplog.OpLog;
import memdb.paxos.Acceptor;
import memdb.paxos.AcceptorStates;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.Timestamp;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

/**
 * The drop of the keys a node no longer replicates, once the ring has settled, in a ring of more nodes than N
 * (here 5 with N = 3: a node replicates about 3/5 of the keys). It used to walk the whole store in one tick of
 * the core thread (about half a second at a million keys); it now takes a few segments a tick.
 */
class MoverCleanupTest {
    private static final int SELF = 1;
    private static final int NODES = 5;
    private static final int N = 3;
    private static final long SETTLE_MS = 100;
    private static final long DOWN_AFTER_MS = 60_000;
    private static final Outbox NOTHING_SENT = new Outbox() {
        public void reply(Object replyTo, Response response) {}

        public void send(int nodeId, long correlationId, Request r) { throw new AssertionError("the drop sends nothing"); }

        public void sendToAddress(String address, long correlationId, Request r) { throw new AssertionError("no seeds"); }
    };

    private final Store store = new Store();
    private final Membership membership = new Membership(member(SELF), DOWN_AFTER_MS, 16, new SplittableRandom(1), 0);
    private final Mover mover = new Mover(membership, new Replica(store, OpLog.none()),
            new Acceptor(new AcceptorStates(), new Replica(store, OpLog.none()), OpLog.none()), new CounterStore(), N,
            1 << 20, SETTLE_MS);

    private static Member member(int id) {
        return member(id, 10);
    }

    private static Member member(int id, long generation) {
        return new Member(id, "h" + id, 7000 + id, generation, 0, Member.Status.NORMAL, true);
    }

    /** Every peer has told this node of every member, NORMAL: the ring of 5 is settled everywhere. */
    private void settleRingOfFive() {
        List<Member> all = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) all.add(member(id));
        for (int peer = 2; peer <= NODES; peer++) membership.mergeFrom(peer, all, 0);
        assertEquals(NODES, membership.ring().nodes().size());
    }

    private boolean mine(Key key) {
        return membership.ring().preferenceList(key, N).contains(SELF);
    }

    private int fill(int keys) {
        int notMine = 0;
        for (int i = 0; i < keys; i++) {
            Key key = Key.of("key:" + i);
            store.apply(key, Versioned.value(new Timestamp(i + 1, 2), new byte[8]));
            if (!mine(key)) notMine++;
        }
        return notMine;
    }

    private void tick(long nowMs) {
        mover.tick(nowMs, NOTHING_SENT, endToken -> {});
    }

    @Test
    void theDropTakesASegmentATickAndEndsWithOnlyTheKeysThisNodeReplicates() {
        settleRingOfFive();
        int keys = 20_000;
        int notMine = fill(keys);
        assertTrue(notMine > keys / 4, notMine + " keys are not this node's");
        mover.cleanupKeysPerTick(1); // one segment a tick
        tick(0); // the ring is seen stable
        tick(SETTLE_MS); // and has been for long enough: the drop starts, one segment
        long firstTick = mover.keysDropped();
        assertTrue(firstTick > 0 && firstTick <= 2L * notMine / Store.SEGMENTS,
                firstTick + " keys dropped by the first tick of " + notMine);
        assertFalse(mover.cleanedUp());
        for (int t = 1; t < Store.SEGMENTS; t++) {
            assertFalse(mover.cleanedUp(), "cleaned up after " + t + " segments");
            tick(SETTLE_MS + t * 10L);
        }
        assertTrue(mover.cleanedUp());
        assertEquals(notMine, mover.keysDropped());
        assertEquals(keys - notMine, store.liveKeys());
        for (int i = 0; i < keys; i++) {
            Key key = Key.of("key:" + i);
            assertEquals(mine(key), store.get(key) != null, "key:" + i);
        }
    }

    @Test
    void aRingChangeDuringTheDropStartsItAgainOnceTheNewRingHasSettled() {
        settleRingOfFive();
        int notMine = fill(5_000);
        mover.cleanupKeysPerTick(1);
        tick(0);
        tick(SETTLE_MS);
        long partly = mover.keysDropped();
        assertTrue(partly > 0 && partly < notMine);
        List<Member> withSix = new ArrayList<>();
        for (int id = 1; id <= NODES + 1; id++) withSix.add(member(id));
        membership.mergeFrom(2, withSix, SETTLE_MS + 10); // node 6 appears; not every peer has told of it yet
        tick(SETTLE_MS + 20);
        tick(SETTLE_MS + 30);
        assertEquals(partly, mover.keysDropped(), "no drop while not every member knows the new ring");
        for (int peer = 3; peer <= NODES + 1; peer++) membership.mergeFrom(peer, withSix, SETTLE_MS + 40);
        long now = SETTLE_MS + 50;
        for (int t = 0; t < Store.SEGMENTS + 3; t++, now += SETTLE_MS) tick(now);
        assertTrue(mover.cleanedUp());
        for (int i = 0; i < 5_000; i++) {
            Key key = Key.of("key:" + i);
            assertEquals(mine(key), store.get(key) != null, "key:" + i + " in the ring of six");
        }
    }

    /**
     * A peer restarts (a new generation, the same ring): until every member has told of it, the drop pauses; then,
     * the ring version being the same, it goes on from the segment it had reached rather than from the first.
     */
    @Test
    void aPauseWithTheRingUnchangedGoesOnWhereTheDropWas() {
        settleRingOfFive();
        fill(20_000);
        mover.cleanupKeysPerTick(1);
        tick(0);
        for (int t = 0; t < Store.SEGMENTS / 2; t++) tick(SETTLE_MS + t * 10L); // half the segments
        long ringVersion = membership.ringVersion();
        long dropped = mover.keysDropped();
        List<Member> restarted = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) restarted.add(member(id, id == 3 ? 11 : 10));
        membership.mergeFrom(3, restarted, 1_000);
        assertEquals(ringVersion, membership.ringVersion(), "a restart is not a ring change");
        tick(1_010);
        tick(1_020);
        assertEquals(dropped, mover.keysDropped(), "no drop while a member's restart is not known everywhere");
        for (int peer = 2; peer <= NODES; peer++) membership.mergeFrom(peer, restarted, 1_030);
        tick(1_040); // the ring is seen stable again
        int ticks = 0;
        for (long now = 1_040 + SETTLE_MS; !mover.cleanedUp() && ticks < 2 * Store.SEGMENTS; now += 10, ticks++) tick(now);
        assertTrue(mover.cleanedUp());
        assertEquals(Store.SEGMENTS / 2, ticks, "ticks to finish the drop after the pause: the segments left");
        for (int i = 0; i < 20_000; i++) {
            Key key = Key.of("key:" + i);
            assertEquals(mine(key), store.get(key) != null, "key:" + i);
        }
    }
}
