package memdb.client;

import memdb.protocol.Responses.ValueState;
import memdb.protocol.Timestamp;

/**
 * One replica's answer to a quorum read: which node, what it holds for the key (a value, nothing, or a
 * tombstone) and the version's timestamp ({@link Timestamp#ZERO} when absent).
 *
 * @param value the value when {@code state} is PRESENT, else null
 */
public record ReplicaResponse<T>(NodeAddress node, ValueState state, Timestamp timestamp, T value) {
    public boolean isPresent() {
        return state == ValueState.PRESENT;
    }
}
