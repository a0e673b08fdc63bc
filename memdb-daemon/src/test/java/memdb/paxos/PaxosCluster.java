package memdb.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import memdb.clock.LamportClock;
import memdb.node.NodeCore;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.replication.Outbox;
import memdb.replication.ReplicationSettings;
import memdb.store.Store;

/**
 * Test support: three real {@link NodeCore}s (N = 3, every node a replica of every key) joined by a
 * lossless, in-order network that delivers in waves: each wave delivers every message sent in the
 * previous one, so a request and its answer are one round trip. Requests matching {@link #drop} are lost.
 * Counts the waves in which a client's coordinator sent requests before the client was answered.
 */
final class PaxosCluster {
    static final int NODES = 3;
    static final Proposer.Settings PAXOS = new Proposer.Settings(3, 1_000, 100, 20, 1 << 20);

    private record Message(int from, int to, long correlationId, Request request, Response response, Object replyTo) {}

    record PeerHandle(int node, long correlationId) {}

    record ClientHandle(int id) {}

    final List<NodeCore> cores = new ArrayList<>();
    private Deque<Message> next = new ArrayDeque<>();
    private final List<Response> clientAnswers = new ArrayList<>();
    /** (destination node, request) of node-to-node requests to lose. */
    BiPredicate<Integer, Request> drop = (to, r) -> false;
    long nowMs;
    /** Per call: waves in which the coordinator sent requests, and the requests sent (all nodes). */
    int roundTrips;
    final List<String> sent = new ArrayList<>();
    private int clients;

    PaxosCluster() {
        List<Member> members = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) members.add(new Member(id, "n" + id, 7000 + id, 1, 0, Member.Status.NORMAL, true));
        for (int id = 1; id <= NODES; id++) {
            NodeCore.Settings settings = new NodeCore.Settings(new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE,
                    500, 1 << 20), 50, 10_000, 16, List.of());
            NodeCore core = new NodeCore(members.get(id - 1), new LamportClock(id, 0), new Store(), OpLog.none(), settings,
                    PAXOS, new AcceptorStates(), new SplittableRandom(id), 0);
            core.restoreMembers(members, 0);
            core.membership().mergeReceived(members, 0); // as a peer's gossip: it has heard from the cluster
            cores.add(core);
        }
    }

    NodeCore core(int id) {
        return cores.get(id - 1);
    }

    /** Sends {@code request} as a client to node {@code via} and runs the network until it is answered. */
    Response call(int via, Request request) {
        ClientHandle client = start(via, request);
        roundTrips = 0;
        for (int guard = 0; guard < 10_000; guard++) {
            Response answer = answerOf(client);
            if (answer != null) return answer;
            if (next.isEmpty()) tick(10);
            else wave(via);
        }
        throw new AssertionError("no answer to " + request);
    }

    /** Sends a client request without running the network; see {@link #answerOf}. */
    ClientHandle start(int via, Request request) {
        ClientHandle client = new ClientHandle(++clients);
        while (clientAnswers.size() < clients) clientAnswers.add(null);
        core(via).onRequest(client, request, 0, nowMs, outbox(via));
        return client;
    }

    Response answerOf(ClientHandle client) {
        return clientAnswers.get(client.id() - 1);
    }

    /** Runs waves (and ticks when idle) until every started client is answered. */
    void runUntilAnswered() {
        for (int guard = 0; guard < 10_000 && clientAnswers.contains(null); guard++) {
            if (next.isEmpty()) tick(10);
            else wave(0);
        }
    }

    /** Runs the queued waves, then one tick. */
    void runUntilAnsweredOrIdle() {
        for (int guard = 0; guard < 1_000 && !next.isEmpty(); guard++) wave(0);
        tick(10);
    }

    void tick(long ms) {
        nowMs += ms;
        for (int id = 1; id <= NODES; id++) core(id).tick(nowMs, outbox(id));
    }

    private void wave(int coordinator) {
        Deque<Message> now = next;
        next = new ArrayDeque<>();
        boolean coordinatorSent = false;
        for (Message m : now) {
            if (m.request() != null) {
                if (m.from() == coordinator) coordinatorSent = true;
                core(m.to()).onRequest(new PeerHandle(m.from(), m.correlationId()), m.request(), 0, nowMs, outbox(m.to()));
            } else {
                core(m.to()).onPeerResponse(m.from(), m.correlationId(), 0, m.response(), nowMs, outbox(m.to()));
            }
        }
        if (coordinatorSent) roundTrips++;
    }

    private Outbox outbox(int node) {
        return new Outbox() {
            public void reply(Object replyTo, Response response) {
                if (replyTo instanceof ClientHandle c) clientAnswers.set(c.id() - 1, response);
                else if (replyTo instanceof PeerHandle p) next.add(new Message(node, p.node(), p.correlationId(), null, response, null));
            }

            public void send(int nodeId, long correlationId, Request request) {
                sent.add("n" + node + "->n" + nodeId + " " + request.opcode());
                if (!drop.test(nodeId, request)) next.add(new Message(node, nodeId, correlationId, request, null, null));
            }

            public void sendToAddress(String address, long correlationId, Request request) {}
        };
    }
}
