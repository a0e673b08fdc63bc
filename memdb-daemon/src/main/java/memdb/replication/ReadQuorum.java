package memdb.replication;

import java.util.ArrayList;
import java.util.HashSet;
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
 * <p>The coordinator asks only as many replicas as it needs and keeps the others in reserve
 * ({@link #ask}, {@link #outstanding}): a replica that answers or fails counts as asked.
 *
 * <p>Invariants: each replica's first answer counts; the outcome, once decided, never changes; the read is
 * {@link #complete()} once its outcome is decided and every replica asked has answered or failed.
 */
public final class ReadQuorum {
    public enum Outcome { PENDING, SUCCEEDED, FAILED }

    /** One stale replica and the version to send it. */
    public record Repair(int replica, Value newest) {}

    private final Set<Integer> replicas;
    private final int required;
    private final Map<Integer, Value> answers = new LinkedHashMap<>();
    private final List<Integer> failed = new ArrayList<>();
    private final Set<Integer> asked = new HashSet<>();
    private Outcome outcome = Outcome.PENDING;

    public ReadQuorum(List<Integer> replicas, int required) {
        if (required < 1 || required > replicas.size()) {
            throw new IllegalArgumentException("need 1.." + replicas.size() + " answers, not " + required);
        }
        this.replicas = Set.copyOf(replicas);
        this.required = required;
    }

    /** The coordinator sent the read to {@code replica}: the read is not complete until it answers or fails. */
    public void ask(int replica) {
        if (replicas.contains(replica)) asked.add(replica);
    }

    public Outcome answer(int replica, Value value) {
        if (replicas.contains(replica) && !failed.contains(replica)) {
            answers.putIfAbsent(replica, value);
            asked.add(replica);
        }
        return decide();
    }

    public Outcome fail(int replica) {
        if (replicas.contains(replica) && !answers.containsKey(replica) && !failed.contains(replica)) {
            failed.add(replica);
            asked.add(replica);
        }
        return decide();
    }

    /** Replicas asked that have neither answered nor failed yet. */
    public int outstanding() {
        return asked.size() - answers.size() - failed.size();
    }

    /** Answers still missing for the outcome, beyond those already asked for (0 once decided). */
    public int shortfall() {
        return outcome == Outcome.PENDING ? Math.max(0, required - answers.size() - outstanding()) : 0;
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

    /** Whether the outcome is decided and every replica asked has answered or failed: nothing more will come. */
    public boolean complete() {
        return outcome != Outcome.PENDING && outstanding() == 0;
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
