package memdb.clock;

import memdb.protocol.Timestamp;

/**
 * A Lamport clock for one node (Lamport 1978, "Time, Clocks, and the Ordering of Events").
 *
 * <p>Invariants: the time never goes backwards; {@link #tick()} returns a timestamp strictly above every
 * timestamp this clock has issued or observed. Not thread-safe: it belongs to the node's core thread.
 */
public final class LamportClock {
    private final int nodeId;
    private long time;

    public LamportClock(int nodeId, long start) {
        if (nodeId < Timestamp.NODE_ID_MIN || nodeId > Timestamp.NODE_ID_MAX) {
            throw new IllegalArgumentException("node id must be 1..65535: " + nodeId);
        }
        if (start < 0) throw new IllegalArgumentException("start must be >= 0: " + start);
        this.nodeId = nodeId;
        this.time = start;
    }

    public int nodeId() {
        return nodeId;
    }

    /** The current time, without advancing it. */
    public long time() {
        return time;
    }

    /** Advances the clock for a local event and returns that event's timestamp. */
    public Timestamp tick() {
        time++;
        return new Timestamp(time, nodeId);
    }

    /** Merges a received time: {@code clock = max(clock, received)}; the next tick is above both. */
    public void observe(long received) {
        if (received > time) time = received;
    }
}
