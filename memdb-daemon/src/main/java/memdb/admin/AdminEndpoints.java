package memdb.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What each endpoint does, given its parsed {@link AdminRoute}: asks the {@link AdminBackend} and
 * shapes the answer. No HTTP plumbing here (that is {@link AdminHandler}); a backend that throws instead
 * of failing its future is treated the same as a failed future, and one that does not answer within
 * the backend timeout as unavailable.
 */
final class AdminEndpoints {
    private final AdminBackend backend;
    private final long backendTimeoutMs;

    AdminEndpoints(AdminBackend backend, long backendTimeoutMs) {
        this.backend = backend;
        this.backendTimeoutMs = backendTimeoutMs;
    }

    /** A repair round may take long (its bandwidth is bounded): it gets this long, not the backend timeout. */
    static final long REPAIR_TIMEOUT_MS = 3_600_000;

    /** The reply to {@code route}; never fails: failures and timeouts become error replies. */
    CompletableFuture<Reply> serve(AdminRoute route) {
        CompletableFuture<Reply> reply;
        try {
            long timeoutMs = route instanceof AdminRoute.Repair ? REPAIR_TIMEOUT_MS : backendTimeoutMs;
            reply = dispatch(route).orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.exceptionally(Reply::failure);
    }

    private CompletableFuture<Reply> dispatch(AdminRoute route) {
        if (route instanceof AdminRoute.Cluster) {
            return backend.cluster().thenApply(Reply::ok);
        } else if (route instanceof AdminRoute.Node node) {
            return backend.cluster().thenApply(snapshot -> Reply.ok(snapshot.node(node.nodeId())
                    .orElseThrow(() -> AdminException.unknownNode(node.nodeId()))));
        } else if (route instanceof AdminRoute.KeyInfo key) {
            return backend.key(key.key(), key.versions()).thenApply(Reply::ok);
        } else if (route instanceof AdminRoute.Kill kill) {
            int id = kill.nodeId();
            return backend.kill(id).thenApply(done -> Reply.json(HttpResponseStatus.ACCEPTED, Map.of("nodeId", id, "killed", true))
                    .then(() -> backend.afterKillReplied(id)));
        } else if (route instanceof AdminRoute.Leave leave) {
            int id = leave.nodeId();
            return backend.leave(id).thenApply(done -> Reply.json(HttpResponseStatus.ACCEPTED, Map.of("nodeId", id, "leaving", true)));
        } else if (route instanceof AdminRoute.Health) {
            return CompletableFuture.completedFuture(Reply.ok(backend.health()));
        } else if (route instanceof AdminRoute.ConfigAll) {
            return backend.config().thenApply(Reply::ok);
        } else if (route instanceof AdminRoute.ConfigGet get) {
            return backend.config().thenApply(report -> Reply.ok(report.settings().stream()
                    .filter(entry -> entry.key().equals(get.key())).findFirst()
                    .orElseThrow(() -> AdminException.unknownConfigKey(get.key()))));
        } else if (route instanceof AdminRoute.ConfigSet set) {
            return backend.setConfig(set.key(), set.value()).thenApply(Reply::ok);
        } else if (route instanceof AdminRoute.Metrics) {
            return backend.nodeMetrics().thenCombine(backend.repairTotals(), (node, repair) ->
                    MetricsPage.render(backend.requestMetrics().snapshot(), node, backend.health()) + MetricsPage.renderRepair(repair))
                    .thenCombine(backend.limits(), (page, limits) -> Reply.text(PrometheusText.CONTENT_TYPE,
                            page + MetricsPage.renderLimits(limits)));
        } else if (route instanceof AdminRoute.Repair repair) {
            return backend.repair(repair.all()).thenApply(Reply::ok);
        }
        throw new IllegalStateException("no endpoint for " + route);
    }
}
