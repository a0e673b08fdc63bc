package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        public void send(List<Envelope> replies) {
            sent.add(replies);
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
}
