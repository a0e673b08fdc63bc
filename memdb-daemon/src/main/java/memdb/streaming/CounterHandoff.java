package memdb.streaming;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.protocol.CounterMessages;
import memdb.protocol.Key;
import memdb.protocol.Response;
import memdb.replication.Outbox;
import memdb.ring.Ring;

/**
 * Hands over the counters this node holds but no longer replicates. A join or a leave streams the
 * store's entries ({@link Streamer}), but counters live apart ({@link CounterStore}) and are not in
 * those streams: so the former replica of a counter sends its state to each replica of the key in the
 * new ring by {@code COUNTER_MERGE} (a PN-counter merge: idempotent and order-free), again every retry
 * interval until that replica answered. Without it an increment acknowledged at ONE by a replica that
 * then gave its range away would be lost (the simulator's checker d caught it).
 *
 * <p>Invariants: pure (time and I/O from the caller); at most one message in flight per (key, node);
 * only nodes held up are sent to; a lost or unanswered message is sent again after {@code retryMs}; any
 * answer (the merged state, or an error such as WRONG_TYPE when the key now holds a value) ends that
 * (key, node); correlation ids come from the mover (streaming bit set).
 */
final class CounterHandoff {
    private record Target(Key key, int node) {}

    private final CounterStore counters;
    private final LongSupplier correlations;
    private final long retryMs;
    /** Targets not answered yet, with the time their last message left (or -1: not sent since it failed). */
    private final Map<Target, Long> pending = new LinkedHashMap<>();
    private final Map<Long, Target> inFlight = new HashMap<>();
    private long handedOver;

    CounterHandoff(CounterStore counters, LongSupplier correlations, long retryMs) {
        this.counters = counters;
        this.correlations = correlations;
        this.retryMs = retryMs;
    }

    /** (Re)plans: every counter whose preference list in {@code ring} does not name this node, to each replica it names. */
    void plan(Ring ring, int selfId, int replicationFactor) {
        pending.clear();
        inFlight.clear();
        if (ring.nodes().isEmpty()) return;
        counters.forEach((key, counter) -> {
            List<Integer> replicas = ring.preferenceList(key, replicationFactor);
            if (replicas.contains(selfId)) return;
            for (int node : replicas) pending.put(new Target(key, node), -1L);
        });
    }

    boolean done() {
        return pending.isEmpty();
    }

    void tick(long nowMs, IntPredicate isUp, Outbox out) {
        for (Map.Entry<Target, Long> e : pending.entrySet()) {
            Target target = e.getKey();
            if (e.getValue() >= 0 && nowMs - e.getValue() < retryMs) continue;
            if (!isUp.test(target.node())) continue;
            PnCounter counter = counters.get(target.key());
            if (counter == null) counter = PnCounter.EMPTY;
            long correlationId = Streamer.CORRELATION_BIT | correlations.getAsLong();
            inFlight.values().remove(target);
            inFlight.put(correlationId, target);
            e.setValue(nowMs);
            out.send(target.node(), correlationId, new CounterMessages.Merge(target.key(), counter));
        }
    }

    /** Whether {@code correlationId} was one of this handoff's messages; its answer ends that target. */
    boolean onResponse(long correlationId, Response response) {
        Target target = inFlight.remove(correlationId);
        if (target == null) return false;
        if (pending.remove(target) != null) handedOver++;
        return true;
    }

    /** Whether {@code correlationId} was one of this handoff's messages; the target is sent again at the next tick. */
    boolean onFailure(long correlationId) {
        Target target = inFlight.remove(correlationId);
        if (target == null) return false;
        pending.computeIfPresent(target, (t, sent) -> -1L);
        return true;
    }

    /** Counter states a replica of the new ring acknowledged. */
    long handedOver() {
        return handedOver;
    }
}
