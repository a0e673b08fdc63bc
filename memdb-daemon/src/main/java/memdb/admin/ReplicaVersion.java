package memdb.admin;

import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.store.Versioned;

/**
 * One replica's answer for a key in {@code GET /v1/keys/{key}?versions=true}: what it holds and the
 * timestamp of that version. {@code timestamp} is null for ABSENT and UNREACHABLE; {@code valueBytes}
 * is the value's size when PRESENT, else 0. Pure data.
 */
public record ReplicaVersion(int nodeId, State state, Timestamp timestamp, int valueBytes) {
    public enum State { PRESENT, TOMBSTONE, ABSENT, UNREACHABLE }

    /** A replica's answer to REPLICA_READ. */
    public static ReplicaVersion of(int nodeId, Responses.Value value) {
        return switch (value.state()) {
            case PRESENT -> new ReplicaVersion(nodeId, State.PRESENT, value.timestamp(), value.value().length);
            case TOMBSTONE -> new ReplicaVersion(nodeId, State.TOMBSTONE, value.timestamp(), 0);
            case ABSENT -> absent(nodeId);
        };
    }

    /** What a local store holds ({@code null}: never written). */
    public static ReplicaVersion of(int nodeId, Versioned version) {
        if (version == null) return absent(nodeId);
        return version.isTombstone() ? new ReplicaVersion(nodeId, State.TOMBSTONE, version.timestamp(), 0)
                : new ReplicaVersion(nodeId, State.PRESENT, version.timestamp(), version.value().length);
    }

    /** A replica that did not answer in time (down, refused, timed out). */
    public static ReplicaVersion unreachable(int nodeId) {
        return new ReplicaVersion(nodeId, State.UNREACHABLE, null, 0);
    }

    private static ReplicaVersion absent(int nodeId) {
        return new ReplicaVersion(nodeId, State.ABSENT, null, 0);
    }
}
