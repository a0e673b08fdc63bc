package memdb.node;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import memdb.clock.LamportClock;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.replication.Outbox;
import memdb.replication.ReplicationSettings;
import memdb.store.Store;

/**
 * Test support: a {@link NodeCore} alone in its cluster, where every request is answered within the
 * call that takes it, so that tests can ask "request in, response out".
 */
public final class SingleNode {
    private SingleNode() {}

    public static NodeCore core(LamportClock clock, Store store, OpLog opLog, int valueBytesMax) {
        Member self = new Member(clock.nodeId(), "127.0.0.1", 10000, 1, 0, Member.Status.NORMAL, true);
        ReplicationSettings replication = new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE, 5_000, valueBytesMax);
        NodeCore.Settings settings = new NodeCore.Settings(replication, 500, 3_000, 16, List.of());
        return new NodeCore(self, clock, store, opLog, settings, new SplittableRandom(1), 0);
    }

    /** Feeds one request and returns the one reply it produced. */
    public static Response handle(NodeCore core, Request request, long lamport) {
        List<Response> replies = new ArrayList<>();
        core.onRequest("test", request, lamport, 0, new Outbox() {
            public void reply(Object replyTo, Response response) { replies.add(response); }

            public void send(int nodeId, long correlationId, Request r) { throw new AssertionError("a single node sends nothing"); }

            public void sendToAddress(String address, long correlationId, Request r) { throw new AssertionError("no seeds"); }
        });
        if (replies.size() != 1) throw new AssertionError("expected one reply, got " + replies);
        return replies.get(0);
    }
}
