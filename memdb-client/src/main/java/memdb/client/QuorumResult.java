package memdb.client;

import java.util.Comparator;
import java.util.List;

/**
 * The answers a quorum read gathered (at least as many as were awaited), and the most up-to-date one:
 * the version with the highest timestamp, last-writer-wins as on the nodes (DESIGN §3). A tombstone
 * newer than every value means the key was deleted, so the most up-to-date response is then null.
 */
public record QuorumResult<T>(List<ReplicaResponse<T>> responses) {
    public QuorumResult {
        responses = List.copyOf(responses);
        if (responses.isEmpty()) throw new IllegalArgumentException("a quorum result needs at least one response");
    }

    /** The replica answer with the highest timestamp (the first of equals). */
    public ReplicaResponse<T> mostUptoDate() {
        return responses.stream().max(Comparator.comparing(ReplicaResponse::timestamp)).orElseThrow();
    }

    /** The newest value, or null when the newest version is absent or deleted. */
    public T mostUptoDateResponse() {
        return mostUptoDate().value();
    }
}
