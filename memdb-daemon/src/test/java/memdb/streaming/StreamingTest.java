package memdb.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import memdb.oplog.OpLog;
import memdb.paxos.Acceptor;
import memdb.paxos.AcceptorStates;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.StateTransferMessages;
import memdb.protocol.StreamMessages;
import memdb.protocol.Timestamp;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.ring.Ring;
import memdb.ring.TokenRange;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

/**
 * Streaming of joins and leaves as pure logic: the plan (what moves where), range scans (chunks in key
 * order, tombstones included), and a streamer driven against in-memory "peers": it finishes with every
 * entry moved, reports progress, keeps to its byte rate, and a new streamer given the ranges already
 * done (a restart) streams only the others.
 */
class StreamingTest {
    private static final int N = 3;

    @Test
    void aJoinPullsExactlyTheRangesItGainsFromTheirCurrentReplicas() {
        Ring current = Ring.of(List.of(1, 2, 3, 4), 16);
        Ring future = Ring.of(List.of(1, 2, 3, 4, 5), 16);
        List<MovePlan.Transfer> plan = MovePlan.join(5, current, future, N);
        assertFalse(plan.isEmpty());
        for (MovePlan.Transfer t : plan) {
            assertTrue(future.preferenceListAt(t.range().end(), N).contains(5));
            assertTrue(current.preferenceListAt(t.range().end(), N).contains(t.peer()));
        }
        // Every key node 5 will replicate lies in a planned range; no other does.
        Set<Long> planned = new HashSet<>();
        for (MovePlan.Transfer t : plan) planned.add(t.range().end());
        for (int i = 0; i < 2_000; i++) {
            Key key = Key.of("k" + i);
            boolean gains = future.preferenceList(key, N).contains(5);
            boolean inPlan = plan.stream().anyMatch(t -> t.range().contains(Ring.position(key)));
            assertEquals(gains, inPlan, key.toString());
        }
    }

    @Test
    void aLeavePushesEachRangeToItsNewReplicasOnly() {
        Ring current = Ring.of(List.of(1, 2, 3, 4, 5), 16);
        Ring future = Ring.of(List.of(1, 2, 4, 5), 16);
        for (MovePlan.Transfer t : MovePlan.leave(3, current, future, N)) {
            List<Integer> now = current.preferenceListAt(t.range().end(), N);
            assertTrue(now.contains(3));
            assertFalse(now.contains(t.peer()));
            assertTrue(future.preferenceListAt(t.range().end(), N).contains(t.peer()));
        }
        assertTrue(MovePlan.leave(3, Ring.of(List.of(1, 2, 3), 16), Ring.of(List.of(1, 2), 16), N).isEmpty(),
                "with N nodes or fewer every node holds everything: nothing to push");
    }

    @Test
    void pendingReplicasAreTheFuturePreferenceListMinusTheCurrentOne() {
        Ring current = Ring.of(List.of(1, 2, 3, 4), 16);
        Ring future = Ring.of(List.of(1, 2, 3, 4, 5), 16);
        for (int i = 0; i < 500; i++) {
            Key key = Key.of("k" + i);
            List<Integer> pending = Ring.pendingReplicas(current, future, key, N);
            List<Integer> expected = new ArrayList<>(future.preferenceList(key, N));
            expected.removeAll(current.preferenceList(key, N));
            assertEquals(expected, pending);
            assertTrue(pending.isEmpty() || pending.equals(List.of(5)));
        }
        assertTrue(Ring.pendingReplicas(current, current, Key.of("x"), N).isEmpty());
    }

    @Test
    void aRangeScanReturnsChunksInKeyOrderWithTombstonesAndEndsWithoutMore() {
        Store store = new Store();
        for (int i = 0; i < 100; i++) {
            Timestamp ts = new Timestamp(i + 1, 1);
            store.apply(Key.of("k" + i), i % 10 == 0 ? Versioned.tombstone(ts) : Versioned.value(ts, new byte[50]));
        }
        TokenRange whole = new TokenRange(7, 7);
        List<Key> seen = new ArrayList<>();
        Key cursor = Key.wrap(new byte[0]);
        int tombstones = 0;
        while (true) {
            RangeScan.Chunk chunk = RangeScan.scan(store, whole, cursor, 500);
            for (var e : chunk.entries()) {
                seen.add(e.key());
                if (e.tombstone()) tombstones++;
            }
            if (!chunk.more()) break;
            cursor = chunk.lastKey();
        }
        assertEquals(100, seen.size());
        assertEquals(new ArrayList<>(new TreeSet<>(seen)), seen, "key order, no repeats");
        assertEquals(10, tombstones);
    }

    /** Peers answering pulls from their own stores, in the same step (a perfect network). */
    private static final class Peers implements Outbox {
        final Store[] stores;
        Acceptor[] acceptors;
        final List<Object[]> sent = new ArrayList<>();

        Peers(Store... stores) {
            this.stores = stores;
        }

        public void reply(Object replyTo, Response response) { throw new AssertionError(); }

        public void send(int nodeId, long correlationId, Request request) { sent.add(new Object[] {nodeId, correlationId, request}); }

        public void sendToAddress(String address, long correlationId, Request request) { throw new AssertionError(); }

        /** Answers everything sent so far; returns how many answers. */
        int answer(Streamer streamer, Streamer.RangeDoneListener done) {
            List<Object[]> batch = new ArrayList<>(sent);
            sent.clear();
            for (Object[] s : batch) {
                if (s[2] instanceof StateTransferMessages.PaxosStatePull pull) {
                    Acceptor acceptor = acceptors == null ? null : acceptors[(int) s[0]];
                    streamer.onResponse((long) s[1], acceptor == null ? new StateTransferMessages.PaxosStateChunk(List.of(), false)
                            : acceptor.scan(new TokenRange(pull.start(), pull.end()), pull.after(), 200), done);
                    continue;
                }
                StreamMessages.StreamPull pull = (StreamMessages.StreamPull) s[2];
                RangeScan.Chunk chunk = RangeScan.scan(stores[(int) s[0]], new TokenRange(pull.start(), pull.end()),
                        pull.after(), pull.bytesMax());
                streamer.onResponse((long) s[1], new StreamMessages.StreamChunk(chunk.entries(), chunk.more()), done);
            }
            return batch.size();
        }
    }

    private static Store filled(int keys) {
        Store store = new Store();
        for (int i = 0; i < keys; i++) store.apply(Key.of("k" + i), Versioned.value(new Timestamp(i + 1, 1), new byte[100]));
        return store;
    }

    @Test
    void aJoinStreamsEverythingThrottledReportsProgressAndResumesWithTheRangesNotDone() {
        Ring current = Ring.of(List.of(1, 2, 3), 8);
        Ring future = Ring.of(List.of(1, 2, 3, 4), 8);
        Store source = filled(10_000); // 3 nodes, N = 3: every node holds every key
        Peers peers = new Peers(null, source, source, source);
        List<MovePlan.Transfer> plan = MovePlan.join(4, current, future, N);
        Store mine = new Store();
        long bytesPerSec = 100_000;
        List<Long> done = new ArrayList<>();
        long[] counter = {1};
        Streamer streamer = new Streamer(Streamer.Direction.PULL, plan, Set.of(), new Replica(mine, OpLog.none()),
                bytesPerSec, 1_000, () -> counter[0]++, 0);
        long now = 0;
        int percentBefore = -1;
        while (!streamer.finished() && now < 120_000) {
            now += 10;
            streamer.tick(now, node -> true, peers, done::add);
            peers.answer(streamer, done::add);
            assertTrue(streamer.percent() >= percentBefore, "progress only grows");
            percentBefore = streamer.percent();
            if (now == 2_000) break; // an interruption: the node crashes here
        }
        assertFalse(streamer.finished(), "100 kB/s cannot move 3/4 of 10,000 x 100 bytes from 2 replicas in 2 s");
        assertTrue(streamer.bytesStreamed() <= bytesPerSec * 2 + 5 * 64 * 1024,
                "kept to the rate: " + streamer.bytesStreamed());
        assertTrue(!done.isEmpty() && streamer.percent() > 0 && streamer.percent() < 100, "partial progress");

        // Restart: a new streamer told the ranges already done streams only the others.
        Streamer resumed = new Streamer(Streamer.Direction.PULL, plan, new TreeSet<>(done), new Replica(mine, OpLog.none()),
                10_000_000, 1_000, () -> counter[0]++, now);
        assertEquals(done.size(), resumed.rangesDone());
        List<Long> doneAfter = new ArrayList<>();
        while (!resumed.finished() && now < 240_000) {
            now += 10;
            resumed.tick(now, node -> true, peers, doneAfter::add);
            peers.answer(resumed, doneAfter::add);
        }
        assertTrue(resumed.finished());
        assertEquals(100, resumed.percent());
        Set<Long> all = new HashSet<>(done);
        for (long end : doneAfter) assertTrue(all.add(end), "range " + end + " streamed twice");
        for (int i = 0; i < 10_000; i++) {
            Key key = Key.of("k" + i);
            if (future.preferenceList(key, N).contains(4)) assertTrue(mine.get(key) != null, key + " was not streamed");
        }
    }

    /**
     * The Paxos acceptor state of a range moves with it: a proposal accepted (not committed) by one current
     * replica and a promise made by another reach the joining node, merged (the higher promise, the accepted
     * proposal), and the state of keys the joining node does not gain stays behind.
     */
    @Test
    void aJoinPullsTheAcceptorStateOfItsRanges() {
        Ring current = Ring.of(List.of(1, 2, 3), 8);
        Ring future = Ring.of(List.of(1, 2, 3, 4), 8);
        Store source = filled(50);
        Acceptor[] acceptors = new Acceptor[4];
        for (int node = 1; node <= 3; node++) acceptors[node] = new Acceptor(new AcceptorStates(), new Replica(source, OpLog.none()), OpLog.none());
        List<Key> gained = new ArrayList<>();
        List<Key> kept = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Key key = Key.of("p" + i);
            (future.preferenceList(key, N).contains(4) ? gained : kept).add(key);
        }
        Timestamp accepted = new Timestamp(1_000, 1);
        Timestamp promised = new Timestamp(2_000, 2);
        for (Key key : gained) {
            assertTrue(acceptors[1].propose(key, accepted, accepted, new byte[] {7}).accepted());
            assertTrue(acceptors[2].prepare(key, promised).promised());
        }
        acceptors[3].propose(kept.get(0), accepted, accepted, new byte[] {9});
        Peers peers = new Peers(null, source, source, source);
        peers.acceptors = acceptors;
        Store mine = new Store();
        Replica replica = new Replica(mine, OpLog.none());
        Acceptor joining = new Acceptor(new AcceptorStates(), replica, OpLog.none());
        long[] counter = {1};
        Streamer streamer = new Streamer(Streamer.Direction.PULL, MovePlan.join(4, current, future, N), Set.of(), replica,
                joining, 10_000_000, 1_000, () -> counter[0]++, 0);
        for (long now = 10; now < 10_000 && !streamer.finished(); now += 10) {
            streamer.tick(now, node -> node != 3, peers, end -> { }); // n3 down: n1 and n2 are enough
            peers.answer(streamer, end -> { });
        }
        assertTrue(streamer.finished());
        assertEquals(gained.size(), joining.keysWithState(), "every gained key's state, nothing else");
        for (Key key : gained) {
            assertFalse(joining.prepare(key, new Timestamp(1_500, 3)).promised(), "n2's promise moved: " + key);
            var promise = joining.prepare(key, new Timestamp(3_000, 3));
            assertEquals(accepted, promise.acceptedBallot(), "n1's accepted proposal moved: " + key);
            assertEquals(7, promise.acceptedValue()[0]);
        }
    }

    @Test
    void aDownSourceDoesNotHoldAJoinUpButTwoDownSourcesDo() {
        Ring current = Ring.of(List.of(1, 2, 3), 8);
        Ring future = Ring.of(List.of(1, 2, 3, 4), 8);
        Store source = filled(200);
        List<MovePlan.Transfer> plan = MovePlan.join(4, current, future, N);
        for (int down = 1; down <= 2; down++) {
            int downCount = down;
            Peers peers = new Peers(null, source, source, source);
            long[] counter = {1};
            Streamer streamer = new Streamer(Streamer.Direction.PULL, plan, Set.of(), new Replica(new Store(), OpLog.none()),
                    10_000_000, 1_000, () -> counter[0]++, 0);
            for (long now = 10; now < 5_000; now += 10) {
                streamer.tick(now, node -> node > downCount, peers, end -> { });
                peers.answer(streamer, end -> { });
            }
            assertEquals(down == 1, streamer.finished(), down + " sources down");
        }
    }
}
