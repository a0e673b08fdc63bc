package memdb.sim;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import memdb.protocol.Request;
import memdb.protocol.Response;

/**
 * The simulated network between nodes, and between clients and nodes. Every message becomes an event
 * on the {@link EventQueue} after a seeded delay (so messages reorder); node-to-node messages may also
 * be dropped, duplicated, or lost to a cut link (a partition). All randomness comes from the run's one
 * {@link Random}, so a seed replays exactly.
 *
 * <p>Semantics, modelled on TCP connections: a message reaches the incarnation of the node it was sent
 * to, or nobody (a peer that restarted meanwhile never sees the old connection's traffic); a request
 * that cannot be delivered (peer down, link cut) is reported back as a peer failure with probability
 * {@code peerFailureProbability} after a delay, otherwise it vanishes and the coordinator's timeout must
 * notice. A reply is routed back to the requester's incarnation with the request's correlation id.
 * Client links are reliable (a client talks to one node over one connection); when a node crashes, its
 * unanswered clients see their connection fail.
 */
final class SimNetwork {
    /** Where a peer's reply goes: the requester, its incarnation and the request's correlation id. */
    record PeerHandle(int node, int incarnation, long correlationId) {}

    /** Where a node's answer to a client goes. */
    record ClientHandle(int client, long operation) {}

    /** The clients' end of their connections. */
    interface ClientSide {
        void onReply(ClientHandle handle, Response response, long lamport);

        void onConnectionFailure(ClientHandle handle, String reason);
    }

    private final EventQueue events;
    private final Random random;
    private final Trace trace;
    private final Map<Integer, SimNode> nodes = new TreeMap<>();
    private final TreeSet<Long> cutLinks = new TreeSet<>();
    private SimConfig faults;
    private ClientSide clients;
    private long messagesInFlight;
    private java.util.function.Predicate<Request> dropped = request -> false;

    SimNetwork(EventQueue events, Random random, Trace trace, SimConfig faults) {
        this.events = events;
        this.random = random;
        this.trace = trace;
        this.faults = faults;
    }

    void attach(SimNode node) {
        nodes.put(node.id(), node);
    }

    void attach(ClientSide clientSide) {
        this.clients = clientSide;
    }

    /** Scripted scenarios: from now on, every node-to-node request that matches is lost. */
    void dropRequests(java.util.function.Predicate<Request> matching) {
        this.dropped = matching;
    }

    void setFaults(SimConfig faults) {
        this.faults = faults;
    }

    // ---- node to node ---------------------------------------------------------------------------

    void sendRequest(PeerHandle origin, int to, Request request, long lamport) {
        SimNode target = nodes.get(to);
        String what = "n" + origin.node() + "->n" + to + " #" + origin.correlationId() + " " + Describe.message(request);
        if (target == null) {
            trace.record(events.nowMs(), "no such node: " + what);
            return;
        }
        if (dropped.test(request)) {
            trace.record(events.nowMs(), "drop (scripted) " + what);
            return;
        }
        int incarnation = target.incarnation();
        transmit(origin.node(), to, what, () -> {
            if (target.isUp() && target.incarnation() == incarnation) {
                target.onRequest(origin, request, lamport);
                return true;
            }
            return false;
        }, () -> reportPeerFailure(origin, to));
    }

    void sendRequestToAddress(PeerHandle origin, String address, Request request, long lamport) {
        for (SimNode node : nodes.values()) {
            if (node.address().equals(address)) {
                sendRequest(origin, node.id(), request, lamport);
                return;
            }
        }
        trace.record(events.nowMs(), "n" + origin.node() + " -> unknown address " + address);
    }

    void sendReply(int from, PeerHandle to, Response response, long lamport) {
        SimNode requester = nodes.get(to.node());
        String what = "n" + from + "->n" + to.node() + " #" + to.correlationId() + " " + Describe.message(response);
        transmit(from, to.node(), what, () -> {
            if (!requester.isUp() || requester.incarnation() != to.incarnation()) return false;
            requester.onPeerResponse(from, to.correlationId(), lamport, response);
            return true;
        }, () -> {});
    }

    private void reportPeerFailure(PeerHandle origin, int peer) {
        if (random.nextDouble() >= faults.peerFailureProbability()) return;
        SimNode requester = nodes.get(origin.node());
        events.after(delayMs(), () -> {
            if (!requester.isUp() || requester.incarnation() != origin.incarnation()) return;
            trace.record(events.nowMs(), "n" + origin.node() + " peer failure n" + peer + " #" + origin.correlationId());
            requester.onPeerFailure(peer, origin.correlationId());
        });
    }

    /**
     * Carries one message with the network's faults: dropped, or delivered once or twice after a delay
     * unless its link is cut by then; {@code deliver} answers false when the receiver is gone.
     */
    private void transmit(int from, int to, String what, BooleanSupplier deliver, Runnable unreachable) {
        if (random.nextDouble() < faults.dropProbability()) {
            trace.record(events.nowMs(), "drop " + what);
            return;
        }
        int copies = random.nextDouble() < faults.duplicateProbability() ? 2 : 1;
        for (int copy = 0; copy < copies; copy++) {
            messagesInFlight++;
            events.after(delayMs(), () -> {
                messagesInFlight--;
                if (!isCut(from, to) && deliver.getAsBoolean()) {
                    trace.record(events.nowMs(), "deliver " + what);
                } else {
                    trace.record(events.nowMs(), "lost " + what);
                    unreachable.run();
                }
            });
        }
    }

    private long delayMs() {
        if (random.nextDouble() < faults.longDelayProbability()) return 1 + random.nextInt((int) faults.longDelayMsMax());
        return faults.delayMsMin() + random.nextInt((int) (faults.delayMsMax() - faults.delayMsMin() + 1));
    }

    /** Node-to-node messages sent and not yet delivered or lost. */
    long messagesInFlight() {
        return messagesInFlight;
    }

    // ---- partitions -----------------------------------------------------------------------------

    /** Cuts the link from {@code from} to {@code to} (one way: asymmetric partitions exist too). */
    void cut(int from, int to) {
        cutLinks.add(link(from, to));
    }

    void healAll() {
        cutLinks.clear();
    }

    private boolean isCut(int from, int to) {
        return cutLinks.contains(link(from, to));
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | to;
    }

    // ---- clients --------------------------------------------------------------------------------

    void sendClientRequest(ClientHandle handle, int to, Request request, long lamport) {
        SimNode node = nodes.get(to);
        events.after(delayMs(), () -> {
            if (node.isUp()) {
                node.onRequest(handle, request, lamport);
            } else {
                trace.record(events.nowMs(), "c" + handle.client() + " refused by n" + to);
                clients.onConnectionFailure(handle, "connection refused by n" + to);
            }
        });
    }

    void sendClientReply(ClientHandle handle, Response response, long lamport) {
        events.after(delayMs(), () -> clients.onReply(handle, response, lamport));
    }

    void failClientConnection(ClientHandle handle, int node) {
        events.after(delayMs(), () -> clients.onConnectionFailure(handle, "connection to n" + node + " lost"));
    }
}
