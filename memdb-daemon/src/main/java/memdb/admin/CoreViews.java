package memdb.admin;

import java.util.ArrayList;
import java.util.List;
import memdb.node.NodeCore;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses.ClusterView;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.replication.Outbox;

/**
 * Reads the core's cluster view the way a client does, with a CLUSTER_INFO request: the view carries
 * the replication factor, which NodeCore does not otherwise expose. Answering it has no effect on the
 * core (time 0 does not move the Lamport clock; nothing is sent or logged). Core thread only.
 */
final class CoreViews {
    private CoreViews() {}

    static ClusterView clusterView(NodeCore core, long nowMs) {
        List<Response> replies = new ArrayList<>(1);
        core.onRequest("admin", new ClusterRequests.ClusterInfo(), 0, nowMs, new Outbox() {
            public void reply(Object replyTo, Response response) { replies.add(response); }

            public void send(int nodeId, long correlationId, Request request) { throw unexpected(); }

            public void sendToAddress(String address, long correlationId, Request request) { throw unexpected(); }
        });
        if (replies.size() != 1 || !(replies.get(0) instanceof ClusterView view)) {
            throw new IllegalStateException("CLUSTER_INFO was answered with " + replies);
        }
        return view;
    }

    private static IllegalStateException unexpected() {
        return new IllegalStateException("answering CLUSTER_INFO must not send anything");
    }
}
