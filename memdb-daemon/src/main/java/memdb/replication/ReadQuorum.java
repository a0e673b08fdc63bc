package memdb.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import memdb.protocol.Responses.Value;
import memdb.protocol.Responses.ValueState;

/**
 * Collects the answers of one replicated read: R of the replicas must answer; the answer is the most
 * up-to-date version among them (highest timestamp, tombstones included, so that a delete wins over an
 * older value). Then computes read repair (Dynamo §4.5): which replicas hold something older than the
 * newest version seen and must be sent it.
 *
 * <p>Invariants: each replica's first answer counts; the outcome, once decided, never changes.
 */
public final class ReadQuorum {
    public enum Outcome { PENDING, SUCCEEDED, FAILED }

    /** One stale replica and the version to send it. */
    public record Repair(int replica, Value newest) {}

    private final Set<Integer> replicas;
    private final int required;
    private final Map<Integer, Value> answers = new LinkedHashMap<>();
    private final List<Integer> failed = new ArrayList<>();
    private Outcome outcome = Outcome.PENDING;

    public ReadQuorum(List<Integer> replicas, int required) {
        if (required < 1 || required > replicas.size()) {
            throw new IllegalArgumentException("need 1.." + replicas.size() + " answers, not " + required);
        }
        this.replicas = Set.copyOf(replicas);
        this.required = required;
    }

    public Outcome answer(int replica, Value value) {
        if (replicas.contains(replica) && !failed.contains(replica)) answers.putIfAbsent(replica, value);
        return decide();
    }

    public Outcome fail(int replica) {
        if (replicas.contains(replica) && !answers.containsKey(replica) && !failed.contains(replica)) failed.add(replica);
        return decide();
    }

    private Outcome decide() {
        if (outcome == Outcome.PENDING) {
            if (answers.size() >= required) outcome = Outcome.SUCCEEDED;
            else if (replicas.size() - failed.size() < required) outcome = Outcome.FAILED;
        }
        return outcome;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether every replica has answered or failed: nothing more will come. */
    public boolean complete() {
        return answers.size() + failed.size() == replicas.size();
    }

    /** The newest version among the answers (ABSENT when none holds anything). */
    public Value newest() {
        Value newest = Value.ABSENT;
        for (Value v : answers.values()) if (v.timestamp().isAfter(newest.timestamp())) newest = v;
        return newest;
    }

    public Map<Integer, Value> answers() {
        return answers;
    }

    /** The replicas that answered with an older version than the newest, each with what to send it. */
    public List<Repair> repairs() {
        Value newest = newest();
        List<Repair> repairs = new ArrayList<>();
        if (newest.state() == ValueState.ABSENT) return repairs;
        answers.forEach((replica, value) -> {
            if (newest.timestamp().isAfter(value.timestamp())) repairs.add(new Repair(replica, newest));
        });
        return repairs;
    }
}
