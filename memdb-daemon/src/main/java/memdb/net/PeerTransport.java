package memdb.net;

import memdb.client.Futures;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;
import memdb.protocol.Responses;

import java.time.Duration;
import memdb.client.PeerClient;
import memdb.node.CoreLoop;
import memdb.node.PeerSender;
import java.util.concurrent.CompletableFuture;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.tls.ClientTls;

/**
 * The node's connections to its peers: carries the core's requests to other nodes over the binary
 * protocol (authenticated with the node key, over TLS when configured, pipelined, reconnecting) and hands every answer or
 * failure back to the core loop as an input. The only place node-to-node sockets live.
 */
public final class PeerTransport implements PeerSender, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());

    private final PeerClient client;
    private final PeerWarnings warnings = new PeerWarnings();
    private CoreLoop loop;

    public PeerTransport(String authKey, Duration connectTimeout, Duration requestTimeout) {
        this(authKey, connectTimeout, requestTimeout, null, null);
    }

    /**
     * With the node key, over TLS when {@code tls} is not null, connecting from {@code localHost} (the
     * node's bind address; null for the system's choice).
     */
    public PeerTransport(String nodeKey, Duration connectTimeout, Duration requestTimeout, ClientTls tls, String localHost) {
        this.client = new PeerClient(nodeKey, connectTimeout, requestTimeout, tls, localHost);
    }

    /** Connects the transport to the loop that receives the answers (the loop is built after the transport). */
    public void deliverTo(CoreLoop coreLoop) {
        this.loop = coreLoop;
    }

    @Override
    public void send(int nodeId, String address, long correlationId, Request request, long lamport) {
        client.call(address, request, lamport).whenComplete((response, failure) -> {
            Throwable cause = Futures.unwrapCompletion(failure);
            if (failure == null) {
                loop.submitPeerResponse(nodeId, correlationId, client.lamportTime(), response);
            } else if (cause instanceof MemDbException e && e.code() != ErrorCode.UNAVAILABLE
                    && e.code().kind() != ErrorCode.Kind.TIMEOUT) {
                // The peer answered with an error of the request itself (WRONG_TYPE, INVALID_ARGUMENT...): the
                // core gets it as that peer's answer, as the simulator delivers it, not as a lost connection.
                if (e.code().kind() == ErrorCode.Kind.AUTHENTICATION) warn(address, "refused this node (" + e.getMessage() + ")");
                loop.submitPeerResponse(nodeId, correlationId, client.lamportTime(), Responses.Error.of(e));
            } else {
                warn(address, "cannot be reached: " + cause.getMessage());
                loop.submitPeerFailure(nodeId, correlationId);
            }
        });
    }

    private void warn(String address, String what) {
        if (warnings.due(address, System.currentTimeMillis())) {
            LOG.log(System.Logger.Level.WARNING, "peer " + address + " " + what + " (said at most once a minute per peer)");
        }
    }

    /** A request to a node outside the core's flow (admin views); the future completes on an I/O thread. */
    public CompletableFuture<Response> call(String address, Request request, long lamport) {
        return client.call(address, request, lamport);
    }

    @Override
    public void close() {
        client.close();
    }
}
