package memdb.client;

import java.util.List;
import memdb.crdt.PnCounter;

/**
 * The answers a counter quorum read gathered, and the most up-to-date counter: for a PN-counter that is
 * the merge of every answer (each replica may hold increments the others have not seen yet; the merge
 * holds them all, each once), not one answer picked by timestamp as for plain values.
 */
public record CounterQuorumResult(List<ReplicaResponse<PnCounter>> responses) {
    public CounterQuorumResult {
        responses = List.copyOf(responses);
        if (responses.isEmpty()) throw new IllegalArgumentException("a quorum result needs at least one response");
    }

    /** The merge of every replica's counter. */
    public PnCounter merged() {
        PnCounter merged = PnCounter.EMPTY;
        for (ReplicaResponse<PnCounter> response : responses) merged = merged.merge(response.value());
        return merged;
    }

    /** The counter's value after merging the answers (0 for a counter nobody incremented). */
    public long mostUptoDateResponseAsLong() {
        return merged().value();
    }

    /** {@link #mostUptoDateResponseAsLong()} as an int; throws ArithmeticException when it does not fit. */
    public int mostUptoDateResponseAsInt() {
        return Math.toIntExact(mostUptoDateResponseAsLong());
    }
}
