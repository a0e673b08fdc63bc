package memdb.repair;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import memdb.clock.LamportClock;
import memdb.node.NodeCore;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Member;
import memdb.protocol.RepairMessages;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.replication.Outbox;
import memdb.replication.ReplicationSettings;
import memdb.store.Store;

/**
 * A few real {@link NodeCore}s wired by a reliable in-order message queue at a fixed time, for unit tests
 * of anti-entropy: every node knows and holds up every other one; requests between them are counted.
 */
final class RepairCluster {
    private record ReplyTo(int node, long correlationId) {}

    final List<NodeCore> cores = new ArrayList<>();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** Repair requests sent (gossip not counted). */
    int requestsSent;
    private long nowMs;

    RepairCluster(int nodes, int vnodes, RepairSettings repair) {
        List<Member> members = new ArrayList<>();
        for (int id = 1; id <= nodes; id++) members.add(new Member(id, "n" + id, 7000 + id, 1, 1, Member.Status.NORMAL, true));
        NodeCore.Settings settings = new NodeCore.Settings(new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE,
                5_000, 1 << 20), 50, 1_000_000, vnodes, List.of(), repair);
        for (int id = 1; id <= nodes; id++) {
            NodeCore core = new NodeCore(members.get(id - 1), new LamportClock(id, 0), new Store(), OpLog.none(), settings,
                    new SplittableRandom(id), 0);
            core.restoreMembers(members, 0);
            cores.add(core);
        }
    }

    Store store(int id) {
        return cores.get(id - 1).store();
    }

    Outbox outbox(int from) {
        return new Outbox() {
            @Override
            public void reply(Object replyTo, Response response) {
                ReplyTo to = (ReplyTo) replyTo;
                queue.add(() -> cores.get(to.node() - 1).onPeerResponse(from, to.correlationId(), 0, response, nowMs, outbox(to.node())));
            }

            @Override
            public void send(int nodeId, long correlationId, Request request) {
                if (request instanceof RepairMessages.Digest || request instanceof RepairMessages.Fetch
                        || request instanceof RepairMessages.Push) requestsSent++;
                queue.add(() -> cores.get(nodeId - 1).onRequest(new ReplyTo(from, correlationId), request, 0, nowMs, outbox(nodeId)));
            }

            @Override
            public void sendToAddress(String address, long correlationId, Request request) {}
        };
    }

    /** Runs one round on {@code id} to its end (ticking every 10 ms while the bandwidth budget refills). */
    RepairReport repair(int id) {
        nowMs += RepairResponder.INDEX_AGE_MS_MIN; // what peers serve reflects the last round
        AtomicReference<RepairReport> report = new AtomicReference<>();
        NodeCore core = cores.get(id - 1);
        core.antiEntropy().requestRound(report::set, nowMs);
        for (int ticks = 0; report.get() == null && ticks < 100_000; ticks++) {
            core.tick(nowMs, outbox(id));
            while (!queue.isEmpty()) queue.poll().run();
            nowMs += 10;
        }
        return report.get();
    }

    long nowMs() {
        return nowMs;
    }
}
