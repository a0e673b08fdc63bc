package memdb.limits;

import java.util.Locale;
import java.util.function.LongSupplier;
import memdb.protocol.ClusterRequests;
import memdb.protocol.CounterMessages;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages;
import memdb.protocol.RepairMessages;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.StreamMessages;

/**
 * The node's admission of requests against {@code max-key-bytes} and {@code max-memory}, asked by the core
 * before it dispatches anything (so both client listeners, native and RESP, and the peer protocol get the
 * same answer). Pure: what the node holds comes from {@code usedBytes} (the store's byte accounting plus
 * the hints held), nothing from the JVM, so that the simulator sees exactly this.
 *
 * <p>A request that would add data is refused with OUT_OF_MEMORY when the bytes in use plus its own would
 * pass max-memory: client SET, counter ADD, CAS; on the replication path a replica write of a value, hints,
 * counter states from peers, and streaming and anti-entropy pushes (their senders retry: a chunk is sent
 * again, a repair round is failed and rerun, a missed replica write is kept as a hint). Reads, deletes
 * and tombstones are never refused (a delete is how memory is freed), nor are Paxos acceptor messages of
 * a CAS already under way (small and bounded per key). A client data request whose key is longer than
 * max-key-bytes is refused with KEY_TOO_LONG. Core thread only.
 */
public final class WriteLimits {
    /** The limits and their refusals at one instant, for /metrics. */
    public record Snapshot(long memoryMaxBytes, long memoryUsedBytes, long refusedOutOfMemory, long refusedKeyTooLong) {
        public static final Snapshot NONE = new Snapshot(Long.MAX_VALUE, 0, 0, 0);
    }

    private final LongSupplier usedBytes;
    private long memoryMaxBytes = Long.MAX_VALUE;
    private int keyBytesMax = Key.BYTES_MAX;
    private long refusedOutOfMemory;
    private long refusedKeyTooLong;

    public WriteLimits(LongSupplier usedBytes) {
        this.usedBytes = usedBytes;
    }

    /** Sets the limits (at start; unlimited memory and the protocol's key limit until then). */
    public void configure(long memoryMaxBytes, int keyBytesMax) {
        if (memoryMaxBytes < 1 || keyBytesMax < 1 || keyBytesMax > Key.BYTES_MAX) {
            throw new IllegalArgumentException("limits out of range: " + memoryMaxBytes + ", " + keyBytesMax);
        }
        this.memoryMaxBytes = memoryMaxBytes;
        this.keyBytesMax = keyBytesMax;
    }

    /**
     * Throws the error the request is refused with, if any.
     *
     * @throws memdb.protocol.MemDbException KEY_TOO_LONG or OUT_OF_MEMORY
     */
    public void admit(Request request) {
        Key key = clientKey(request);
        if (key != null && key.length() > keyBytesMax) {
            refusedKeyTooLong++;
            throw ErrorCode.KEY_TOO_LONG.exception("key is " + key.length() + " bytes; the limit is " + keyBytesMax
                    + " (max-key-bytes)");
        }
        long adds = bytesAdded(request);
        if (adds < 0) return;
        long used = usedBytes.getAsLong();
        if (used + adds > memoryMaxBytes) {
            refusedOutOfMemory++;
            throw ErrorCode.OUT_OF_MEMORY.exception("the node's memory is full (" + mib(used) + " in use of max-memory "
                    + mib(memoryMaxBytes) + "); writes are refused until keys are deleted or max-memory is raised");
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(memoryMaxBytes, usedBytes.getAsLong(), refusedOutOfMemory, refusedKeyTooLong);
    }

    /** The key of a client data request (the ones max-key-bytes applies to), or null. */
    private static Key clientKey(Request request) {
        if (request instanceof Requests.Get r) return r.key();
        if (request instanceof Requests.Set r) return r.key();
        if (request instanceof Requests.Delete r) return r.key();
        if (request instanceof Requests.Contains r) return r.key();
        if (request instanceof CounterMessages.Add r) return r.key();
        if (request instanceof CounterMessages.Get r) return r.key();
        if (request instanceof PaxosMessages.Cas r) return r.key();
        if (request instanceof PaxosMessages.SerialGet r) return r.key();
        return null;
    }

    /** Roughly the bytes a request adds to what the node holds, or -1 for one that is never refused. */
    private static long bytesAdded(Request request) {
        if (request instanceof Requests.Set r) return r.key().length() + (long) r.value().length;
        if (request instanceof PaxosMessages.Cas r) return r.key().length() + (long) r.newValue().length;
        if (request instanceof CounterMessages.Add r) return r.key().length();
        if (request instanceof CounterMessages.Lead r) return r.key().length();
        if (request instanceof CounterMessages.Merge r) return r.key().length();
        if (request instanceof ClusterRequests.ReplicaWrite r) return r.tombstone() ? -1 : replicaBytes(r);
        if (request instanceof ClusterRequests.Hints r) return valueBytes(r.entries());
        if (request instanceof StreamMessages.StreamPush r) return valueBytes(r.entries());
        if (request instanceof RepairMessages.Push r) {
            long bytes = 0;
            for (RepairMessages.Entry e : r.entries()) {
                if (e.version().value() != null) bytes += e.key().length() + (long) e.version().value().length;
            }
            return bytes == 0 ? -1 : bytes;
        }
        return -1;
    }

    private static long valueBytes(java.util.List<ClusterRequests.ReplicaWrite> entries) {
        long bytes = 0;
        for (ClusterRequests.ReplicaWrite w : entries) if (!w.tombstone()) bytes += replicaBytes(w);
        return bytes == 0 ? -1 : bytes;
    }

    private static long replicaBytes(ClusterRequests.ReplicaWrite w) {
        return w.key().length() + (long) (w.value() == null ? 0 : w.value().length);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
