package memdb.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import memdb.admin.AdminBackend;
import memdb.admin.AdminException;
import memdb.admin.ClusterSnapshot;
import memdb.admin.ConfigReport;
import memdb.admin.HealthReport;
import memdb.admin.KeyReport;
import memdb.admin.NodeMetrics;
import memdb.admin.RepairSummary;
import memdb.admin.ReplicaVersion;
import memdb.admin.RequestMetrics;
import memdb.client.Futures;
import memdb.limits.WriteLimits;
import memdb.net.PeerTransport;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.MemDbException;
import memdb.protocol.RepairMessages;
import memdb.protocol.Responses;
import memdb.protocol.StreamMessages;
import memdb.repair.AntiEntropy;
import memdb.repair.RepairReport;
import memdb.repair.RepairTotals;

/**
 * The admin API's view of a running node: core views are computed on the core thread through
 * {@link CoreLoop#query}; other replicas' versions and kills of other nodes go over the peer transport.
 * Nothing here blocks.
 */
final class NodeAdminBackend implements AdminBackend {
    private final CoreLoop loop;
    private final PeerTransport peers;
    private final int nodeId;
    private final LongSupplier nowMs;
    private final long startedMs;
    private final RequestMetrics requestMetrics;
    private final Runnable halt;
    private final RunningConfig config;

    NodeAdminBackend(CoreLoop loop, PeerTransport peers, int nodeId, LongSupplier nowMs, RequestMetrics requestMetrics,
                     Runnable halt, RunningConfig config) {
        this.config = config;
        this.loop = loop;
        this.peers = peers;
        this.nodeId = nodeId;
        this.nowMs = nowMs;
        this.startedMs = nowMs.getAsLong();
        this.requestMetrics = requestMetrics;
        this.halt = halt;
    }

    /** This node's snapshot, with every up peer's own Lamport time and key count asked by NODE_STATS. */
    @Override
    public CompletableFuture<ClusterSnapshot> cluster() {
        return loop.query(core -> ClusterSnapshot.of(core, nowMs.getAsLong())).thenCompose(snapshot -> {
            List<CompletableFuture<ClusterSnapshot.NodeView>> views = new ArrayList<>();
            for (ClusterSnapshot.NodeView view : snapshot.nodes()) {
                if (view.id() == nodeId || view.state() != ClusterSnapshot.State.UP) {
                    views.add(CompletableFuture.completedFuture(view));
                } else {
                    views.add(peers.call(view.address(), new ClusterRequests.NodeStats(), loop.lamportTime())
                            .handle((response, failure) -> response instanceof ClusterResponses.Stats stats
                                    ? view.withStats(stats.lamport(), stats.keys(), stats.movePercent())
                                    : view));
                }
            }
            return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(done -> new ClusterSnapshot(
                    snapshot.nodeId(), snapshot.replicationFactor(), snapshot.ringVersion(),
                    views.stream().map(CompletableFuture::join).toList(), snapshot.clusterLogVersion()));
        });
    }

    /** What the core knows of a key, and where its replicas are. */
    private record KeyPlan(KeyReport report, ReplicaVersion local, Map<Integer, String> addresses) {}

    @Override
    public CompletableFuture<KeyReport> key(String key, boolean versions) {
        return loop.query(core -> {
            KeyReport report = KeyReport.of(core, key, nowMs.getAsLong());
            Map<Integer, String> addresses = new HashMap<>();
            for (int id : report.preferenceList()) {
                Member member = core.membership().member(id);
                if (member != null) addresses.put(id, member.address());
            }
            return new KeyPlan(report, KeyReport.localVersion(core, key), addresses);
        }).thenCompose(plan -> versions ? withVersions(plan, key) : CompletableFuture.completedFuture(plan.report()));
    }

    private CompletableFuture<KeyReport> withVersions(KeyPlan plan, String key) {
        List<CompletableFuture<ReplicaVersion>> answers = new ArrayList<>();
        for (int id : plan.report().preferenceList()) {
            if (id == nodeId) {
                answers.add(CompletableFuture.completedFuture(plan.local()));
            } else {
                answers.add(peers.call(plan.addresses().get(id), new ClusterRequests.ReplicaRead(Key.of(key)), loop.lamportTime())
                        .handle((response, failure) -> response instanceof Responses.Value value
                                ? ReplicaVersion.of(id, value) : ReplicaVersion.unreachable(id)));
            }
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> plan.report().withReplicas(answers.stream().map(CompletableFuture::join).toList()));
    }

    @Override
    public CompletableFuture<Void> kill(int target) {
        return loop.query(core -> core.membership().member(target)).thenCompose(member -> {
            if (member == null) return CompletableFuture.failedFuture(AdminException.unknownNode(target));
            if (target == nodeId) return CompletableFuture.completedFuture(null);
            return peers.call(member.address(), new ClusterRequests.Kill(), loop.lamportTime())
                    .exceptionallyCompose(failure -> CompletableFuture.failedFuture(notReached(target, member.address(), failure)))
                    .thenCompose(ok -> loop.query(core -> { // the cluster log records it; gossip spreads it
                        core.markDown(target, nowMs.getAsLong());
                        return null;
                    }));
        });
    }

    /**
     * A kill that could not reach its node (refused, unreachable, no answer in time): the node is not running, or
     * not reachable from here, so there is nothing to kill; said as such (503), not as the peer client's
     * "connection refused" (found by the session-8 walk). The ring is left as it is: the failure detector marks a
     * node that stopped down by itself. Any other failure passes through.
     */
    static Throwable notReached(int target, String address, Throwable failure) {
        Throwable cause = Futures.unwrapCompletion(failure);
        if (!(cause instanceof MemDbException e) || e.code() != ErrorCode.UNAVAILABLE && e.code().kind() != ErrorCode.Kind.TIMEOUT) {
            return cause;
        }
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(address + ": ");
        String reason = at >= 0 ? message.substring(at + address.length() + 2) : message;
        return new AdminException(AdminException.Kind.UNAVAILABLE, "node " + target + " is not running or cannot be reached at "
                + address + " (" + reason + "), so there is nothing to kill");
    }

    @Override
    public CompletableFuture<Void> leave(int target) {
        return loop.query(core -> {
            Member member = core.membership().member(target);
            if (member != null && target == nodeId) core.leave(nowMs.getAsLong());
            return member;
        }).thenCompose(member -> {
            if (member == null) return CompletableFuture.failedFuture(AdminException.unknownNode(target));
            if (target == nodeId) return CompletableFuture.completedFuture(null);
            return peers.call(member.address(), new StreamMessages.Leave(), loop.lamportTime()).thenApply(response -> {
                if (response instanceof Responses.Error error) throw error.code().exception(error.message());
                return null;
            });
        });
    }

    @Override
    public void afterKillReplied(int target) {
        if (target == nodeId) halt.run();
    }

    /** This node's round, started on the core thread; with {@code all}, every other up node's by REPAIR_RUN. */
    @Override
    public CompletableFuture<RepairSummary> repair(boolean all) {
        CompletableFuture<RepairReport> local = new CompletableFuture<>();
        return loop.query(core -> {
            core.antiEntropy().requestRound(local::complete, nowMs.getAsLong());
            Map<Integer, String> others = new java.util.TreeMap<>();
            if (all) {
                for (Member m : core.membership().digest(nowMs.getAsLong())) {
                    if (m.nodeId() != nodeId && m.status() == Member.Status.NORMAL) others.put(m.nodeId(), m.up() ? m.address() : null);
                }
            }
            return others;
        }).thenCompose(others -> {
            List<CompletableFuture<RepairSummary.NodeRepair>> answers = new ArrayList<>();
            answers.add(local.thenApply(report -> RepairSummary.NodeRepair.of(nodeId, AntiEntropy.summary(report))));
            others.forEach((id, address) -> answers.add(address == null
                    ? CompletableFuture.completedFuture(RepairSummary.NodeRepair.failed(id, "down"))
                    : peers.call(address, new RepairMessages.Run(), loop.lamportTime()).handle((response, failure) ->
                            response instanceof RepairMessages.Summary summary ? RepairSummary.NodeRepair.of(id, summary)
                                    : RepairSummary.NodeRepair.failed(id, failure != null ? String.valueOf(failure.getMessage())
                                            : String.valueOf(response)))));
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .thenApply(done -> new RepairSummary(answers.stream().map(CompletableFuture::join).toList()));
        });
    }

    @Override
    public CompletableFuture<RepairTotals.Snapshot> repairTotals() {
        return loop.query(core -> core.antiEntropy().totals().snapshot());
    }

    @Override
    public CompletableFuture<WriteLimits.Snapshot> limits() {
        return loop.query(core -> core.limits().snapshot());
    }

    @Override
    public HealthReport health() {
        return HealthReport.up(nodeId, nowMs.getAsLong() - startedMs, Node.VERSION);
    }

    @Override
    public CompletableFuture<NodeMetrics> nodeMetrics() {
        return loop.query(core -> NodeMetrics.of(core, nowMs.getAsLong()));
    }

    @Override
    public CompletableFuture<ConfigReport> config() {
        return CompletableFuture.completedFuture(new ConfigReport(nodeId,
                config.entries().stream().map(NodeAdminBackend::entry).toList()));
    }

    @Override
    public CompletableFuture<ConfigReport.Entry> setConfig(String name, String value) {
        ConfigKey key = ConfigKey.byKey(name).orElse(null);
        if (key == null) return CompletableFuture.failedFuture(AdminException.unknownConfigKey(name));
        if (!key.live()) {
            return CompletableFuture.failedFuture(AdminException.conflict(key.key() + " cannot change on a running node: "
                    + "it needs a restart (set it in the config file, then restart the node)"));
        }
        try {
            return config.set(key, value).thenApply(done -> entry(config.entry(key)));
        } catch (ConfigException e) {
            return CompletableFuture.failedFuture(AdminException.badRequest(e.getMessage()));
        }
    }

    private static ConfigReport.Entry entry(RunningConfig.Entry e) {
        return new ConfigReport.Entry(e.key().key(), e.value(), e.source().label(), e.key().live(),
                e.key().environmentVariable(), e.restartPending());
    }

    @Override
    public RequestMetrics requestMetrics() {
        return requestMetrics;
    }
}
