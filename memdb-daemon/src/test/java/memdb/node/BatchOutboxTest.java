package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import memdb.cluster.Membership;
import memdb.protocol.Envelope;
import memdb.protocol.Member;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

/** A batch's replies: one send per connection, in order, and one hand-off per event loop rather than per connection. */
class BatchOutboxTest {
    private static final Membership MEMBERSHIP = new Membership(new Member(1, "h1", 7001, 10, 0, Member.Status.NORMAL, true),
            3_000, 8, new SplittableRandom(1), 0);

    /** An event loop stand-in: queues tasks until {@link #runAll}. */
    private static final class Loop implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            tasks.forEach(Runnable::run);
        }
    }

    private record LoopConnection(Loop loop, List<List<Envelope>> sent) implements Connection {
        LoopConnection(Loop loop) {
            this(loop, new ArrayList<>());
        }

        @Override
        public void send(ReplyBatch replies) {
            sent.add(replies.envelopes());
        }

        @Override
        public Executor executor() {
            return loop;
        }
    }

    private static void reply(BatchOutbox outbox, Connection to, int requestId) {
        outbox.reply(new ClientRequest(to, requestId, 0, new Requests.Ping(), 0), new Responses.Ok());
    }

    @Test
    void connectionsOnOneEventLoopShareOneTaskAndEachGetsItsRepliesInOneSendInOrder() {
        Loop first = new Loop();
        Loop second = new Loop();
        List<LoopConnection> onFirst = List.of(new LoopConnection(first), new LoopConnection(first), new LoopConnection(first));
        LoopConnection onSecond = new LoopConnection(second);
        BatchOutbox outbox = new BatchOutbox(MEMBERSHIP, null);
        for (int id = 1; id <= 4; id++) {
            for (LoopConnection c : onFirst) reply(outbox, c, id);
            reply(outbox, onSecond, id);
        }
        outbox.release(PeerSender.NONE);
        assertEquals(1, first.tasks.size(), "one hand-off to the first loop for its three connections");
        assertEquals(1, second.tasks.size());
        assertEquals(0, onFirst.get(0).sent().size(), "nothing is sent off the event loop");
        first.runAll();
        second.runAll();
        for (LoopConnection c : List.of(onFirst.get(0), onFirst.get(1), onFirst.get(2), onSecond)) {
            assertEquals(1, c.sent().size(), "one send per connection");
            assertEquals(List.of(1, 2, 3, 4), c.sent().get(0).stream().map(Envelope::requestId).toList(), "in order");
        }
    }

    /** A connection on the core's own loop (no executor): sends at once; counts what it is sent without allocating. */
    private static final class OnLoop implements Connection {
        final List<List<Envelope>> sent = new ArrayList<>();
        boolean record = true;
        long sends;
        long replies;
        long idSum;

        @Override
        public void send(ReplyBatch batch) {
            sends++;
            replies += batch.size();
            for (int i = 0; i < batch.size(); i++) idSum += batch.requestId(i);
            if (record) sent.add(batch.envelopes());
        }
    }

    /**
     * Random interleavings of replies to up to 100 connections, batch after batch through one outbox (reset between
     * them, as the core loop reuses it): each connection gets exactly one send per batch with its replies in the order
     * given, against the reference of grouping by hand; and the outbox keeps no reply once released.
     */
    @Test
    void aReusedOutboxSendsEachConnectionItsRepliesInOrderBatchAfterBatch() {
        SplittableRandom random = new SplittableRandom(8);
        BatchOutbox outbox = new BatchOutbox(MEMBERSHIP, null);
        for (int batch = 0; batch < 200; batch++) {
            List<OnLoop> connections = new ArrayList<>();
            int connectionCount = 1 + random.nextInt(random.nextBoolean() ? 5 : 100);
            for (int c = 0; c < connectionCount; c++) connections.add(new OnLoop());
            java.util.Map<OnLoop, List<Integer>> expected = new java.util.IdentityHashMap<>();
            int replies = random.nextInt(1, 1500);
            OnLoop to = connections.get(0);
            for (int id = 1; id <= replies; id++) {
                if (random.nextInt(8) == 0) to = connections.get(random.nextInt(connectionCount)); // runs, as pipelined reads give
                reply(outbox, to, id);
                expected.computeIfAbsent(to, x -> new ArrayList<>()).add(id);
            }
            outbox.stamp(batch);
            assertEquals(false, outbox.released());
            outbox.release(PeerSender.NONE);
            assertEquals(true, outbox.released());
            for (OnLoop c : connections) {
                List<Integer> ids = expected.get(c);
                if (ids == null) {
                    assertEquals(0, c.sent.size(), "a connection without replies is not sent to");
                    continue;
                }
                assertEquals(1, c.sent.size(), "one send per connection and batch");
                assertEquals(ids, c.sent.get(0).stream().map(Envelope::requestId).toList(), "in order");
                for (Envelope e : c.sent.get(0)) assertEquals(batch, e.lamport());
            }
            outbox.reset(MEMBERSHIP, 0);
            assertEquals(true, outbox.isEmpty());
        }
    }

    /**
     * The point of reusing an outbox: once warm, a batch of 1,000 replies to 50 connections on the core's loop
     * allocates nothing per reply (before: an envelope per reply, a list per connection, a map per batch).
     */
    @Test
    void aReusedOutboxAllocatesNothingPerReply() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        BatchOutbox outbox = new BatchOutbox(MEMBERSHIP, null);
        List<OnLoop> connections = new ArrayList<>();
        for (int c = 0; c < 50; c++) connections.add(new OnLoop());
        connections.forEach(c -> c.record = false);
        ClientRequest[] requests = new ClientRequest[1000];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new ClientRequest(connections.get(i / 20), i + 1, 0, new Requests.Ping(), 0);
        }
        Responses.Ok ok = new Responses.Ok();
        long[] allocated = new long[20];
        for (int round = 0; round < allocated.length; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (ClientRequest r : requests) outbox.reply(r, ok);
            outbox.release(PeerSender.NONE);
            outbox.reset(MEMBERSHIP, 0);
            allocated[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        long last = allocated[allocated.length - 1];
        assertTrue(last < 1000, "a warm batch of 1,000 replies allocated " + last + " bytes; rounds: " + java.util.Arrays.toString(allocated));
        long expectedIds = 0;
        for (int i = 1; i <= 1000; i++) expectedIds += i;
        long ids = 0;
        for (OnLoop c : connections) {
            assertEquals(allocated.length, c.sends);
            ids += c.idSum;
        }
        assertEquals(expectedIds * allocated.length, ids);
    }
}
