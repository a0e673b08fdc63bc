package memdb.node;

import io.netty.channel.EventLoopGroup;
import memdb.admin.AdminServer;
import memdb.net.ClientListener;
import memdb.net.HeldPort;
import memdb.net.IoTransport;

/**
 * A node's listening ports, bound at the start of its boot, before the op log's replay: the client port,
 * the admin port and the RESP port (when on), with the core's event loop that will serve the client and
 * RESP channels. A port in use is so reported at once (a large log can take seconds to replay), while
 * nothing is served before the node is ready: until the node serves them (memdb.net.HeldPort), the ports
 * accept nothing and a client's connection and first request wait in the kernel's backlog.
 *
 * <p>Invariant: {@link #bind} either returns every port bound or throws having closed what it bound; a boot
 * that fails after it calls {@link #close()}, which closes the ports and stops the core's event loop.
 */
record NodePorts(EventLoopGroup coreGroup, HeldPort client, AdminServer admin, HeldPort resp) implements AutoCloseable {
    /**
     * Binds the ports of {@code network}; {@code resp} is null when resp-port is 0 (off).
     *
     * @throws java.io.UncheckedIOException "cannot listen [for ...] on host:port: reason" for the first port that
     *     cannot be bound
     */
    static NodePorts bind(int nodeId, NetworkConfig network) {
        // One event loop runs the core and serves the client and RESP channels (the Redis model): a request read
        // there reaches the core, and its reply the channel, by a method call. The peer client keeps its own.
        // It polls for busy-poll-us before it sleeps (memdb.net.BusyPoll).
        EventLoopGroup coreGroup = IoTransport.detect().newGroup(1, "memdb-core-" + nodeId, network.busyPollMicros());
        HeldPort client = null;
        AdminServer admin = null;
        try {
            client = ClientListener.hold("client", network.bind(), network.port(), coreGroup);
            admin = AdminServer.hold(network.bind(), network.adminPort());
            HeldPort resp = network.respPort() == 0 ? null : ClientListener.hold("resp", network.bind(), network.respPort(), coreGroup);
            return new NodePorts(coreGroup, client, admin, resp);
        } catch (RuntimeException e) {
            if (admin != null) admin.close();
            if (client != null) client.close();
            HeldPort.shutdown(coreGroup);
            throw e;
        }
    }

    /** Closes the ports not yet served and stops the core's event loop: a boot that failed after {@link #bind}. */
    @Override
    public void close() {
        if (resp != null) resp.close();
        admin.close();
        client.close();
        HeldPort.shutdown(coreGroup);
    }
}
