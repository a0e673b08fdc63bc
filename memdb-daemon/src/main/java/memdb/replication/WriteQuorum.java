package memdb.replication;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts the acknowledgements of one replicated write (Dynamo §4.5: a write succeeds once W of the
 * key's N replicas hold it). Pure and tiny, so that the rule can be tested alone.
 *
 * <p>Invariants: each replica counts once (a duplicated ack is ignored); the outcome, once decided,
 * never changes; it fails as soon as too few replicas remain to reach W.
 */
public final class WriteQuorum {
    public enum Outcome { PENDING, SUCCEEDED, FAILED }

    private final Set<Integer> replicas;
    private final int required;
    private final Set<Integer> acked = new HashSet<>();
    private final Set<Integer> failed = new HashSet<>();
    private boolean superseded;
    private Outcome outcome = Outcome.PENDING;

    public WriteQuorum(List<Integer> replicas, int required) {
        if (required < 1 || required > replicas.size()) {
            throw new IllegalArgumentException("need 1.." + replicas.size() + " acks, not " + required);
        }
        this.replicas = Set.copyOf(replicas);
        this.required = required;
    }

    /** A replica stored the write, or already held a newer version ({@code superseded}: a concurrent write). */
    public Outcome ack(int replica, boolean replicaHeldNewer) {
        if (!replicas.contains(replica) || failed.contains(replica)) return outcome;
        if (acked.add(replica) && replicaHeldNewer) superseded = true;
        return decide();
    }

    /** A replica cannot answer (down, unreachable, timed out). */
    public Outcome fail(int replica) {
        if (replicas.contains(replica) && !acked.contains(replica)) failed.add(replica);
        return decide();
    }

    private Outcome decide() {
        if (outcome == Outcome.PENDING) {
            if (acked.size() >= required) outcome = Outcome.SUCCEEDED;
            else if (replicas.size() - failed.size() < required) outcome = Outcome.FAILED;
        }
        return outcome;
    }

    /** Whether {@code replica} is one of this write's and has neither acknowledged nor failed yet. */
    public boolean waitingFor(int replica) {
        return replicas.contains(replica) && !acked.contains(replica) && !failed.contains(replica);
    }

    /** The replicas that have neither acknowledged nor failed, in ascending order. */
    public List<Integer> waiting() {
        return replicas.stream().filter(this::waitingFor).sorted().toList();
    }

    /** Whether every replica has answered (acknowledged or failed). */
    public boolean complete() {
        return acked.size() + failed.size() == replicas.size();
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether a replica reported holding a newer version than this write (a detected concurrent write). */
    public boolean superseded() {
        return superseded;
    }

    public int acks() {
        return acked.size();
    }

    public int required() {
        return required;
    }
}
