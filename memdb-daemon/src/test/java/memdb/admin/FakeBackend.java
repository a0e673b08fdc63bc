package memdb.admin;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import memdb.protocol.Member;
import memdb.protocol.Timestamp;

/**
 * Test support: an {@link AdminBackend} with canned answers (a 3-node cluster, node 3 down) that
 * records the kills it is asked for, with two settings for the config endpoints. {@link #cluster} can be replaced to make the backend fail.
 */
final class FakeBackend implements AdminBackend {
    static final ClusterSnapshot CLUSTER = new ClusterSnapshot(1, 3, 4, List.of(
            new ClusterSnapshot.NodeView(1, "127.0.0.1:10000", ClusterSnapshot.State.UP, Member.Status.NORMAL, 1.0, 123L, 42L, "this node"),
            new ClusterSnapshot.NodeView(2, "127.0.0.1:10001", ClusterSnapshot.State.UP, Member.Status.NORMAL, 1.0, null, null, ""),
            new ClusterSnapshot.NodeView(3, "127.0.0.1:10002", ClusterSnapshot.State.DOWN, Member.Status.NORMAL, 1.0, null, null,
                    "no heartbeat within the failure-detector timeout")));
    static final NodeMetrics METRICS = new NodeMetrics(123, 42, 50, 9000, 0, 10, 1, 20, 2, 1, 90, 3, 1, 2, 1, 4);

    final RequestMetrics requests = new RequestMetrics();
    final List<Integer> killed = new CopyOnWriteArrayList<>();
    final Set<Integer> killReplied = ConcurrentHashMap.newKeySet();
    final List<Integer> left = new CopyOnWriteArrayList<>();
    final List<String> keysAsked = new CopyOnWriteArrayList<>();
    volatile Supplier<CompletableFuture<ClusterSnapshot>> cluster = () -> CompletableFuture.completedFuture(CLUSTER);

    @Override
    public CompletableFuture<ClusterSnapshot> cluster() {
        return cluster.get();
    }

    @Override
    public CompletableFuture<KeyReport> key(String key, boolean versions) {
        keysAsked.add(key);
        List<ReplicaVersion> replicas = !versions ? List.of() : List.of(
                new ReplicaVersion(1, ReplicaVersion.State.PRESENT, new Timestamp(17, 1), 5),
                new ReplicaVersion(2, ReplicaVersion.State.TOMBSTONE, new Timestamp(9, 2), 0),
                ReplicaVersion.unreachable(3));
        return CompletableFuture.completedFuture(new KeyReport(key, -42, List.of(1, 2, 3), replicas));
    }

    @Override
    public CompletableFuture<Void> kill(int nodeId) {
        if (CLUSTER.node(nodeId).isEmpty()) return CompletableFuture.failedFuture(AdminException.unknownNode(nodeId));
        killed.add(nodeId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> leave(int nodeId) {
        if (CLUSTER.node(nodeId).isEmpty()) return CompletableFuture.failedFuture(AdminException.unknownNode(nodeId));
        if (nodeId == 3) return CompletableFuture.failedFuture(memdb.protocol.ErrorCode.UNAVAILABLE.exception("node 3 is LEFT"));
        left.add(nodeId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void afterKillReplied(int nodeId) {
        killReplied.add(nodeId);
    }

    /** This node repaired two keys; with {@code all}, node 2 found nothing and node 3 is down. */
    @Override
    public CompletableFuture<RepairSummary> repair(boolean all) {
        RepairSummary.NodeRepair self = RepairSummary.NodeRepair.of(1,
                new memdb.protocol.RepairMessages.Summary(true, 12, 10, 1, 0, 2, 1, 1, 300, 400));
        return CompletableFuture.completedFuture(new RepairSummary(!all ? List.of(self) : List.of(self,
                RepairSummary.NodeRepair.of(2, new memdb.protocol.RepairMessages.Summary(true, 5, 10, 0, 0, 0, 0, 0, 40, 160)),
                RepairSummary.NodeRepair.failed(3, "down"))));
    }

    @Override
    public CompletableFuture<memdb.repair.RepairTotals.Snapshot> repairTotals() {
        return CompletableFuture.completedFuture(new memdb.repair.RepairTotals.Snapshot(3, 2, 30, 4, 1, 7, 5, 2, 900, 1200));
    }

    /** Two settings: fsync (live: always, everysec or no) and port (restart only). */
    final java.util.Map<String, String> settings = new ConcurrentHashMap<>(java.util.Map.of("fsync", "everysec", "port", "10000"));

    @Override
    public CompletableFuture<ConfigReport> config() {
        return CompletableFuture.completedFuture(new ConfigReport(1, List.of(entry("fsync"), entry("port"))));
    }

    @Override
    public CompletableFuture<ConfigReport.Entry> setConfig(String key, String value) {
        if (!settings.containsKey(key)) return CompletableFuture.failedFuture(AdminException.unknownConfigKey(key));
        if (key.equals("port")) return CompletableFuture.failedFuture(AdminException.conflict("port cannot change on a running node"));
        if (!Set.of("always", "everysec", "no").contains(value)) {
            return CompletableFuture.failedFuture(AdminException.badRequest("invalid fsync 'sometimes' (from the admin API): expected always, everysec or no"));
        }
        settings.put(key, value);
        return CompletableFuture.completedFuture(entry(key));
    }

    private ConfigReport.Entry entry(String key) {
        return new ConfigReport.Entry(key, settings.get(key), "default", key.equals("fsync"), "MEMDB_" + key.toUpperCase(java.util.Locale.ROOT), null);
    }

    @Override
    public HealthReport health() {
        return HealthReport.up(1, 61_000, "test");
    }

    @Override
    public CompletableFuture<NodeMetrics> nodeMetrics() {
        return CompletableFuture.completedFuture(METRICS);
    }

    @Override
    public RequestMetrics requestMetrics() {
        return requests;
    }
}
