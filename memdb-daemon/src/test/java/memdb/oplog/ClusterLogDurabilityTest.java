package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import memdb.clock.LamportClock;
import memdb.cluster.ClusterLog;
import memdb.node.NodeCore;
import memdb.protocol.Consistency;
import memdb.protocol.Member;
import memdb.replication.ReplicationSettings;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster log through a real op log: the membership changes a core accepts are CLUSTER records in
 * its files; a core restarted on them knows the members and its own status, at a higher log version;
 * the store ignores them.
 */
class ClusterLogDurabilityTest {
    @TempDir
    Path dir;

    private static NodeCore core(OpLog log, Store store, long lamport, long generation, Member.Status status) {
        Member self = new Member(1, "127.0.0.1", 7001, generation, 0, status, true);
        NodeCore.Settings settings = new NodeCore.Settings(
                new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE, 5_000, 1 << 20), 500, 3_000, 8, List.of());
        return new NodeCore(self, new LamportClock(1, lamport), store, log, settings, new SplittableRandom(1), 0);
    }

    @Test
    void membershipChangesSurviveARestart() throws Exception {
        long versionBefore;
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            NodeCore core = core(log, new Store(), 0, 1, Member.Status.JOINING);
            core.restoreMembers(List.of(new Member(2, "127.0.0.1", 7002, 5, 3, Member.Status.NORMAL, true),
                    new Member(3, "127.0.0.1", 7003, 5, 3, Member.Status.LEAVING, true)), 0);
            core.markDown(2, 0);
            versionBefore = core.clusterLogVersion();
            CountDownLatch durable = new CountDownLatch(1);
            log.commit(durable::countDown);
            durable.await(10, TimeUnit.SECONDS);
        }
        ClusterLog.Restored restored = new ClusterLog.Restored();
        Store store = new Store();
        StoreReplay storeReplay = new StoreReplay(store);
        long lamportHigh;
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {
            if (r.op() == OpLog.Op.CLUSTER) restored.add(r.key(), r.timestamp().lamport(), r.value());
            else storeReplay.accept(r);
        })) {
            lamportHigh = log.replayReport().lamportHigh();
            assertEquals(0, store.entries());
            assertEquals(versionBefore, restored.version());
            NodeCore again = core(log, store, lamportHigh, 2, Member.Status.NORMAL);
            again.restore(restored, 0);
            assertEquals(Member.Status.JOINING, again.membership().self().status());
            assertEquals(Member.Status.DOWN, again.membership().member(2).status());
            assertEquals(Member.Status.LEAVING, again.membership().member(3).status());
            assertEquals(new ArrayList<>(List.of(2, 3)), new ArrayList<>(again.membership().ring().nodes()));
            org.junit.jupiter.api.Assertions.assertTrue(again.clusterLogVersion() > versionBefore);
        }
    }
}
