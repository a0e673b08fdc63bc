package memdb.sim;

import java.util.List;
import java.util.Random;

/**
 * The fault injector (Jepsen's name for it): while active, crashes a random node now and then (or all
 * of them: a power cut, sometimes the very moment a write is acknowledged) and restarts each after a
 * random downtime, and cuts links for a while — a clean split into two sides, one isolated node, or
 * random one-way links — then heals them. Message-level faults (drop, duplicate, delay) belong to
 * {@link SimNetwork}. All choices come from the run's random source.
 *
 * <p>Invariants: at most one partition at a time; a crashed node is restarted by its own timer or by
 * the final heal, whichever comes first; after {@link #stop} nothing new is broken.
 */
final class Nemesis {
    private final SimConfig config;
    private final EventQueue events;
    private final Random random;
    private final SimNetwork network;
    private final List<SimNode> nodes;
    private final Trace trace;
    private boolean active;

    Nemesis(SimConfig config, EventQueue events, Random random, SimNetwork network, List<SimNode> nodes, Trace trace) {
        this.config = config;
        this.events = events;
        this.random = random;
        this.network = network;
        this.nodes = nodes;
        this.trace = trace;
    }

    void start() {
        active = true;
        if (config.crashIntervalMs() > 0) scheduleCrash();
        if (config.partitionIntervalMs() > 0) schedulePartition();
    }

    void stop() {
        active = false;
    }

    /** Crashes one random node, or now and then every node at once (a power cut: only fsynced data lives). */
    private void scheduleCrash() {
        events.after(1 + random.nextInt((int) config.crashIntervalMs()), () -> {
            if (!active) return;
            if (random.nextInt(5) == 0) {
                trace.record(events.nowMs(), "power cut");
                for (SimNode node : nodes) crash(node);
            } else {
                crash(nodes.get(random.nextInt(nodes.size())));
            }
            scheduleCrash();
        });
    }

    /**
     * Now and then cuts the power the moment a client has its acknowledgement: whatever the write needed
     * must already be durable on W replicas (the ordering rule), and this is when a broken rule shows.
     */
    void onAcknowledgedWrite(History.Operation write) {
        if (!active || config.crashIntervalMs() == 0 || random.nextInt(15) != 0) return;
        trace.record(events.nowMs(), "power cut after op" + write.id);
        for (SimNode node : nodes) crash(node);
    }

    private void crash(SimNode victim) {
        if (!victim.isUp()) return;
        victim.crash();
        events.after(1 + random.nextInt((int) config.downtimeMsMax()), () -> {
            if (!victim.isUp()) victim.start();
        });
    }

    private void schedulePartition() {
        events.after(1 + random.nextInt((int) config.partitionIntervalMs()), () -> {
            if (!active) return;
            partition();
            events.after(1 + random.nextInt((int) config.partitionMsMax()), () -> {
                network.healAll();
                trace.record(events.nowMs(), "heal partition");
                schedulePartition();
            });
        });
    }

    /** Cuts links in one of three shapes: two sides, one isolated node, or random one-way links. */
    private void partition() {
        int shape = random.nextInt(3);
        int isolated = nodes.get(random.nextInt(nodes.size())).id();
        long side = random.nextLong(); // bit i set: node i is on the second side
        StringBuilder cuts = new StringBuilder();
        for (SimNode a : nodes) {
            for (SimNode b : nodes) {
                if (a == b) continue;
                boolean cut = switch (shape) {
                    case 0 -> ((side >> a.id()) & 1) != ((side >> b.id()) & 1);
                    case 1 -> a.id() == isolated || b.id() == isolated;
                    default -> random.nextInt(4) == 0;
                };
                if (!cut) continue;
                network.cut(a.id(), b.id());
                cuts.append(' ').append(a.id()).append('>').append(b.id());
            }
        }
        trace.record(events.nowMs(), "partition" + cuts);
    }
}
