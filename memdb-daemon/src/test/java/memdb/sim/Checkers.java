package memdb.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import memdb.crdt.PnCounter;
import memdb.protocol.Key;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.store.Versioned;

/**
 * The properties a run must have, judged from the {@link History} and the replicas' stores:
 *
 * <ul>
 *   <li>(a) read-your-quorum-writes: a QUORUM or ALL read that starts after a write was acknowledged at
 *       QUORUM or ALL returns that write or a newer one (W + R > N on a fixed preference list, whatever
 *       the faults). A value must carry a timestamp at least the write's; "absent" needs a delete that
 *       could be that newer write (acknowledged at or after it, or of unknown outcome), and likewise
 *       CONTAINS true needs such a set.
 *   <li>(b) convergence: after healing and read repair, the N replicas of every key hold identical versions.
 *   <li>(c) no phantom values: every value read was written to that key by a SET invoked before the read
 *       finished, always with the same timestamp (the one its acknowledgement named, if any), and no
 *       other acknowledged write to the key was given that timestamp (a timestamp names one write, DESIGN §3).
 * </ul>
 *   <li>(d) counters: after healing and read repair, the N replicas of every counter key hold the same
 *       PN-counter, and its value is the sum of the acknowledged increments plus the deltas of some subset
 *       of the increments whose outcome is unknown (failed or timed out); an operation id counts once per
 *       acknowledgement at most, plus at most once per attempt of unknown outcome.
 * </ul>
 * Exactly-once replies are checked where they happen ({@link SimNode}, {@link Workload}).
 */
final class Checkers {
    private Checkers() {}

    static List<String> quorumReadsSeeAcknowledgedWrites(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, List<History.Operation>> byKey = byKey(history);
        for (History.Operation read : history.operations()) {
            if (read.isWrite() || !read.atLeastQuorum() || !read.succeeded()) continue;
            List<History.Operation> ops = byKey.get(read.key);
            History.Operation floor = null;
            for (History.Operation w : ops) {
                if (w.isWrite() && w.atLeastQuorum() && w.acknowledgedAt() != null && w.completeStep < read.invokeStep
                        && (floor == null || w.acknowledgedAt().isAfter(floor.acknowledgedAt()))) floor = w;
            }
            if (floor == null) continue;
            Timestamp at = floor.acknowledgedAt();
            if (read.response instanceof Responses.Value value && value.isPresent()) {
                if (at.isAfter(value.timestamp())) violations.add("(a) stale quorum read: " + read + "\n    missed " + floor);
                continue;
            }
            boolean present = read.response instanceof Responses.Bool bool && bool.value();
            History.Kind needed = present ? History.Kind.SET : History.Kind.DELETE;
            boolean explained = ops.stream().anyMatch(w -> w.kind == needed && w.invokeStep < read.completeStep
                    && (w.acknowledgedAt() == null || !at.isAfter(w.acknowledgedAt())));
            if (!explained) violations.add("(a) stale quorum read: " + read + "\n    missed " + floor);
        }
        return violations;
    }

    static List<String> noPhantomValues(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, History.Operation> sets = new HashMap<>();
        Map<String, History.Operation> acknowledged = new HashMap<>(); // by key and timestamp
        for (History.Operation op : history.operations()) {
            if (op.kind == History.Kind.SET) sets.put(op.value, op);
            if (op.acknowledgedAt() != null) acknowledged.put(op.key + "@" + op.acknowledgedAt(), op);
        }
        Map<String, Timestamp> seenAt = new HashMap<>();
        for (History.Operation read : history.operations()) {
            if (!(read.response instanceof Responses.Value value) || !value.isPresent()) continue;
            String text = Describe.text(value.value());
            History.Operation set = sets.get(text);
            History.Operation owner = acknowledged.get(read.key + "@" + value.timestamp());
            String problem = set == null || !set.key.equals(read.key) || set.invokeStep > read.completeStep
                    ? "a value never written to this key"
                    : set.acknowledgedAt() != null && !set.acknowledgedAt().equals(value.timestamp())
                    ? "the timestamp differs from the one its write was acknowledged with: " + set
                    : !value.timestamp().equals(seenAt.getOrDefault(text, value.timestamp()))
                    ? "the same value was read before at " + seenAt.get(text)
                    : owner != null && owner != set
                    ? "its timestamp was given to another acknowledged write (timestamp reused): " + owner : null;
            seenAt.putIfAbsent(text, value.timestamp());
            if (problem != null) violations.add("(c) " + read + ": " + problem);
        }
        return violations;
    }

    /** (b): every live node agrees on each key's preference list, and those replicas hold the same version. */
    static List<String> replicasConverged(List<SimNode> nodes, int keys, int replicationFactor) {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            Key key = Key.of(Workload.key(i));
            List<Integer> preference = nodes.get(0).core().membership().ring().preferenceList(key, replicationFactor);
            Map<Integer, Versioned> versions = new TreeMap<>();
            for (SimNode node : nodes) {
                List<Integer> own = node.core().membership().ring().preferenceList(key, replicationFactor);
                if (!own.equals(preference)) violations.add("(b) n" + node.id() + " has preference list " + own
                        + " for " + key + ", n" + nodes.get(0).id() + " has " + preference);
            }
            for (int replica : preference) versions.put(replica, byId(nodes, replica).core().store().get(key));
            if (versions.values().stream().distinct().count() > 1) {
                violations.add("(b) replicas of " + key + " diverge after repair: " + versions);
            }
        }
        return violations;
    }

    static List<String> countersConverged(List<SimNode> nodes, History history, int keys, int replicationFactor) {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String name = Workload.counterKey(i);
            Key key = Key.of(name);
            List<Integer> preference = nodes.get(0).core().membership().ring().preferenceList(key, replicationFactor);
            Map<Integer, PnCounter> counters = new TreeMap<>();
            for (int replica : preference) {
                PnCounter counter = byId(nodes, replica).core().counterStore().get(key);
                counters.put(replica, counter == null ? PnCounter.EMPTY : counter);
            }
            if (counters.values().stream().distinct().count() > 1) {
                violations.add("(d) replicas of counter " + name + " diverge after repair: " + counters);
                continue;
            }
            long value = counters.values().iterator().next().value();
            String problem = countedOnceOrUnknown(history, name, value);
            if (problem != null) violations.add("(d) counter " + name + " = " + value + ": " + problem);
        }
        return violations;
    }

    /**
     * Null when {@code value} is a possible sum: every acknowledged operation id counted exactly once; one
     * not acknowledged counted at most once if some attempt of it had an unknown outcome (TIMEOUT,
     * UNKNOWN_OUTCOME, a lost connection), and not at all if every attempt was refused (counted nothing).
     * No retry may count an increment twice (docs/counters.md, "Idempotency").
     */
    private static String countedOnceOrUnknown(History history, String key, long value) {
        Map<Long, long[]> byOperation = new java.util.LinkedHashMap<>(); // id -> {delta, acknowledged, unknown}
        for (History.Operation op : history.operations()) {
            if (op.kind != History.Kind.INCR || !op.key.equals(key)) continue;
            long[] counts = byOperation.computeIfAbsent(op.operationId, id -> new long[] {op.delta, 0, 0});
            if (op.succeeded()) counts[1]++;
            else if (!op.countedNothing()) counts[2]++;
        }
        long acknowledgedSum = 0;
        Set<Long> reachable = new HashSet<>(Set.of(0L));
        List<String> unknown = new ArrayList<>();
        for (long[] counts : byOperation.values()) {
            long delta = counts[0];
            if (counts[1] > 0) {
                acknowledgedSum += delta;
                continue;
            }
            if (counts[2] == 0) continue;
            unknown.add(Long.toString(delta));
            Set<Long> next = new HashSet<>(reachable);
            for (long sum : reachable) next.add(sum + delta);
            reachable = next;
        }
        if (reachable.contains(value - acknowledgedSum)) return null;
        return "the acknowledged increments sum to " + acknowledgedSum + " and no subset of the increments of unknown "
                + "outcome " + unknown + " (each at most once) makes up the difference (an acknowledged increment lost, "
                + "one counted twice, or one counted without cause)";
    }

    /**
     * Once joins and leaves are over and former replicas dropped what they gave away: each key (value or
     * tombstone) is held by exactly the nodes of its preference list, no more (a range not dropped) and no
     * fewer (a range not streamed).
     */
    static List<String> keysOnExactlyTheirReplicas(List<SimNode> nodes, int keys, int replicationFactor) {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            Key key = Key.of(Workload.key(i));
            List<Integer> preference = nodes.get(0).core().membership().ring().preferenceList(key, replicationFactor);
            List<Integer> holders = new ArrayList<>();
            for (SimNode node : nodes) if (node.core().store().get(key) != null) holders.add(node.id());
            boolean written = !holders.isEmpty();
            if (written && !new java.util.TreeSet<>(holders).equals(new java.util.TreeSet<>(preference))) {
                violations.add("(e) " + key + " is held by " + holders + "; its replicas are " + preference);
            }
        }
        return violations;
    }

    private static SimNode byId(List<SimNode> nodes, int id) {
        for (SimNode node : nodes) if (node.id() == id) return node;
        throw new IllegalStateException("no live node n" + id);
    }

    private static Map<String, List<History.Operation>> byKey(History history) {
        Map<String, List<History.Operation>> byKey = new HashMap<>();
        for (History.Operation op : history.operations()) byKey.computeIfAbsent(op.key, k -> new ArrayList<>()).add(op);
        return byKey;
    }
}
