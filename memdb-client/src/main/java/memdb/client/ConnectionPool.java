package memdb.client;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import memdb.protocol.Request;

/**
 * The client's connections: {@code connectionsPerNode} {@link NodeConnection}s per node address (usually
 * one), created (not connected) on first use and taken in turn by requests, all served by one
 * {@link NettyTransport} event loop and stamped by one {@link ClientClock}.
 * Shared by the data path ({@link MemDbClient}) and the router, which sends CLUSTER_INFO over the same
 * connections and schedules its refresh timer on {@link #loop()}.
 *
 * <p>Invariants: at most {@code connectionsPerNode} connections per address; once closed, every send fails at once with
 * SHUTTING_DOWN and no connection is created.
 */
final class ConnectionPool implements AutoCloseable {
    private final ClientConfig config;
    private final NettyTransport transport = new NettyTransport();
    private final ClientClock clock = new ClientClock();
    private final EventLoop loop = transport.nextLoop();
    private final Map<NodeAddress, NodeConnections> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The connections of the node last sent to (any thread may replace it; see connectionsTo). */
    private volatile LastUsed lastUsed;

    ConnectionPool(ClientConfig config) {
        this.config = config;
    }

    ClientConfig config() {
        return config;
    }

    /** Sends {@code request} to {@code node} (from any thread); the call's result completes on the event loop. */
    Call send(NodeAddress node, Request request) {
        return send(node, new Call(request));
    }

    /**
     * Sends {@code request} to {@code node} (from any thread); {@code listener} gets the outcome, on the event
     * loop, or at once on this thread when the client is closed.
     */
    Call send(NodeAddress node, Request request, Call.Listener listener) {
        return send(node, new Call(request, listener));
    }

    private Call send(NodeAddress node, Call call) {
        if (closed.get()) call.fail(Failures.clientClosed());
        else connectionsTo(node).next().submit(call);
        return call;
    }

    /**
     * The node's connections, opened on first use. The last node asked for is remembered by identity: routes
     * hand out the same address objects again and again, and one node is the common case (a map lookup
     * hashes and compares the address on every request).
     */
    private NodeConnections connectionsTo(NodeAddress node) {
        LastUsed last = lastUsed;
        if (last != null && last.address == node) return last.connections;
        NodeConnections found = connections.get(node);
        if (found == null) found = connections.computeIfAbsent(node, this::open);
        lastUsed = new LastUsed(node, found);
        return found;
    }

    /** A node address object and its connections. */
    private record LastUsed(NodeAddress address, NodeConnections connections) {}

    /** True when the client's last connect to {@code node} failed moments ago (see NodeConnection). */
    boolean recentlyUnreachable(NodeAddress node) {
        NodeConnections toNode = connections.get(node);
        return toNode != null && toNode.recentlyUnreachable();
    }

    /** The event loop for timers; tasks on it never block. */
    EventLoop loop() {
        return loop;
    }

    long lamportTime() {
        return clock.highestSeen();
    }

    /** Raises the time stamped on every later request to at least {@code lamport} (a node's own clock). */
    void observe(long lamport) {
        clock.observe(lamport);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Fails every pending request and stops the event loop. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        connections.values().forEach(NodeConnections::close);
        transport.close();
    }

    private NodeConnections open(NodeAddress address) {
        NodeConnection[] all = new NodeConnection[config.connectionsPerNode()];
        for (int i = 0; i < all.length; i++) all[i] = new NodeConnection(address, transport, config, clock);
        return new NodeConnections(all);
    }

    /** One node's connections, handed out round-robin. */
    private static final class NodeConnections {
        private final NodeConnection[] all;
        private final AtomicInteger turn = new AtomicInteger();

        NodeConnections(NodeConnection[] all) {
            this.all = all;
        }

        NodeConnection next() {
            return all.length == 1 ? all[0] : all[Math.floorMod(turn.getAndIncrement(), all.length)];
        }

        /** True when a connect to the node failed moments ago on any of them. */
        boolean recentlyUnreachable() {
            for (NodeConnection connection : all) {
                if (connection.recentlyUnreachable()) return true;
            }
            return false;
        }

        void close() {
            for (NodeConnection connection : all) connection.close();
        }
    }
}
