package memdb.admin;

import java.util.concurrent.CompletableFuture;
import memdb.limits.WriteLimits;
import memdb.repair.RepairTotals;

/**
 * The port between the HTTP admin API and the node: everything {@link AdminServer} needs, nothing
 * about HTTP. The node implements it (usually by running {@link ClusterSnapshot#of}, {@link KeyReport#of}
 * and {@link NodeMetrics#of} inside {@code CoreLoop.query}); tests implement it with canned data.
 *
 * <p>Contract: methods are called from the admin server's I/O threads and must not block; whatever
 * touches the core or other nodes answers through a future, which may complete on any thread. A
 * future that fails with {@link AdminException} maps to that exception's status (e.g. an unknown node
 * is 404); a {@code MemDbException} of kind UNAVAILABLE or TIMEOUT maps to 503; anything else to 500.
 * The server gives every future {@link AdminServer#BACKEND_TIMEOUT_MS} before answering 503.
 */
public interface AdminBackend {
    /** This node's view of the cluster. */
    CompletableFuture<ClusterSnapshot> cluster();

    /**
     * Where {@code key} lives: its ring position and preference list, and with {@code versions} each
     * replica's answer (UNREACHABLE for a replica that did not answer). The key is already validated
     * (UTF-8, 1..1024 bytes).
     */
    CompletableFuture<KeyReport> key(String key, boolean versions);

    /**
     * Kills node {@code nodeId}: completes once the kill is under way (for another node: once it was
     * forwarded). Fails with {@link AdminException#unknownNode} for a node not in the cluster. Killing
     * this node itself must not happen here but in {@link #afterKillReplied}, so that the reply leaves.
     */
    CompletableFuture<Void> kill(int nodeId);

    /**
     * Decommissions node {@code nodeId}: completes once it is LEAVING (it then streams its ranges to their
     * new owners, goes LEFT and stops by itself). Fails when the node cannot leave (not NORMAL, or the
     * last node of the ring).
     */
    CompletableFuture<Void> leave(int nodeId);

    /**
     * Called once the reply to a successful kill of {@code nodeId} has been written (or failed to be),
     * on an I/O thread. The place for this node to halt at once when it is the one killed.
     */
    default void afterKillReplied(int nodeId) {}

    /** Cheap liveness: never touches the core, so it answers even when the core is stuck. */
    HealthReport health();

    /** Counters and gauges of the node's core, for /metrics. */
    CompletableFuture<NodeMetrics> nodeMetrics();

    /** Every configuration key of this node: value in force, source, live or restart-only. */
    default CompletableFuture<ConfigReport> config() {
        return CompletableFuture.failedFuture(new AdminException(AdminException.Kind.NOT_FOUND, "this node has no configuration API"));
    }

    /**
     * Changes a live configuration key on this node until restart or SIGHUP; completes with the key's new
     * entry once the node runs with it. Fails with NOT_FOUND for an unknown key, BAD_REQUEST for an
     * invalid value (the message says why), CONFLICT for a key that needs a restart.
     */
    default CompletableFuture<ConfigReport.Entry> setConfig(String key, String value) {
        return CompletableFuture.failedFuture(new AdminException(AdminException.Kind.NOT_FOUND, "this node has no configuration API"));
    }

    /**
     * Runs an anti-entropy round now on this node ({@code all}: and on every other up node, asked over the
     * peer protocol); completes when the rounds have ended.
     */
    default CompletableFuture<RepairSummary> repair(boolean all) {
        return CompletableFuture.failedFuture(new AdminException(AdminException.Kind.NOT_FOUND, "this node does not repair"));
    }

    /** Anti-entropy counters since the node started, for /metrics. */
    default CompletableFuture<RepairTotals.Snapshot> repairTotals() {
        return CompletableFuture.completedFuture(RepairTotals.Snapshot.NONE);
    }

    /** max-memory and max-key-bytes with their refusals since the node started, for /metrics. */
    default CompletableFuture<WriteLimits.Snapshot> limits() {
        return CompletableFuture.completedFuture(WriteLimits.Snapshot.NONE);
    }

    /** The per-operation request counters the node records into; rendered by /metrics. */
    RequestMetrics requestMetrics();
}
