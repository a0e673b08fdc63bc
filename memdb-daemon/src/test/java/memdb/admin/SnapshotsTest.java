package memdb.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import memdb.clock.LamportClock;
import memdb.node.NodeCore;
import memdb.node.SingleNode;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.ring.Ring;
import memdb.store.Store;
import org.junit.jupiter.api.Test;

/** The pure builders that the node's backend runs on the core thread, on a single-node core. */
class SnapshotsTest {
    private final NodeCore core = SingleNode.core(new LamportClock(1, 0), new Store(), OpLog.none(), 1 << 20);

    private void set(String key, String value) {
        SingleNode.handle(core, new Requests.Set(Key.of(key), value.getBytes(StandardCharsets.UTF_8), Consistency.DEFAULT), 0);
    }

    @Test
    void clusterSnapshotOfASingleNode() {
        set("a", "1");
        set("b", "22");
        long lamportBefore = core.lamportTime();
        ClusterSnapshot snapshot = ClusterSnapshot.of(core, 100);
        assertEquals(lamportBefore, core.lamportTime(), "taking a snapshot does not move the clock");
        assertEquals(1, snapshot.nodeId());
        assertEquals(3, snapshot.replicationFactor(), "the configured factor; the ring caps it at the cluster size");
        assertEquals(core.membership().ringVersion(), snapshot.ringVersion());
        assertEquals(1, snapshot.nodes().size());
        ClusterSnapshot.NodeView self = snapshot.node(1).orElseThrow();
        assertEquals("127.0.0.1:10000", self.address());
        assertEquals(ClusterSnapshot.State.UP, self.state());
        assertEquals(Member.Status.NORMAL, self.status());
        assertEquals(1.0, self.ownership(), 1e-9);
        assertEquals(core.lamportTime(), self.lamport());
        assertEquals(2L, self.keys());
        assertTrue(snapshot.node(2).isEmpty());
    }

    @Test
    void aPeerThatStopsGossipingIsShownDownWithANote() {
        Member peer = new Member(2, "127.0.0.1", 10001, 1, 5, Member.Status.NORMAL, true);
        core.membership().merge(List.of(peer), 0);
        ClusterSnapshot fresh = ClusterSnapshot.of(core, 100);
        assertEquals(ClusterSnapshot.State.UP, fresh.node(2).orElseThrow().state());
        assertEquals(2.0, fresh.nodes().stream().mapToDouble(ClusterSnapshot.NodeView::ownership).sum(), 1e-9,
                "with N=3 and 2 nodes, each holds a replica of everything");
        ClusterSnapshot.NodeView late = ClusterSnapshot.of(core, 60_000).node(2).orElseThrow();
        assertEquals(ClusterSnapshot.State.DOWN, late.state());
        assertNull(late.lamport());
        assertNull(late.keys());
        assertTrue(late.note().contains("heartbeat"), late.note());
    }

    @Test
    void keyReportPlacesTheKeyAndReadsTheLocalVersion() {
        set("user:1", "hello");
        KeyReport report = KeyReport.of(core, "user:1", 0);
        assertEquals(Ring.position(Key.of("user:1")), report.position());
        assertEquals(List.of(1), report.preferenceList());
        assertTrue(report.replicas().isEmpty());
        ReplicaVersion local = KeyReport.localVersion(core, "user:1");
        assertEquals(ReplicaVersion.State.PRESENT, local.state());
        assertEquals(5, local.valueBytes());
        assertEquals(1, local.timestamp().nodeId());
        assertEquals(ReplicaVersion.State.ABSENT, KeyReport.localVersion(core, "never").state());
        SingleNode.handle(core, new Requests.Delete(Key.of("user:1"), Consistency.DEFAULT), 0);
        assertEquals(ReplicaVersion.State.TOMBSTONE, KeyReport.localVersion(core, "user:1").state());
        assertEquals(List.of(local), report.withReplicas(List.of(local)).replicas());
    }

    @Test
    void replicaVersionsOfWireAnswers() {
        Timestamp ts = new Timestamp(7, 2);
        assertEquals(new ReplicaVersion(2, ReplicaVersion.State.PRESENT, ts, 3),
                ReplicaVersion.of(2, Responses.Value.present(ts, new byte[3])));
        assertEquals(new ReplicaVersion(2, ReplicaVersion.State.TOMBSTONE, ts, 0), ReplicaVersion.of(2, Responses.Value.tombstone(ts)));
        assertEquals(new ReplicaVersion(2, ReplicaVersion.State.ABSENT, null, 0), ReplicaVersion.of(2, Responses.Value.ABSENT));
    }

    @Test
    void nodeMetricsCopyTheCoreCounters() {
        set("a", "1");
        NodeMetrics metrics = NodeMetrics.of(core, 0);
        assertEquals(1, metrics.keys());
        assertEquals(1, metrics.entries());
        assertEquals(core.lamportTime(), metrics.lamportTime());
        assertEquals(core.metrics().writesSucceeded(), metrics.writesSucceeded());
        assertEquals(1, metrics.nodesUp());
        assertEquals(0, metrics.nodesDown());
    }
}
