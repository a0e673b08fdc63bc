package memdb.repair;

/**
 * Anti-entropy counters since the node started, for /metrics. Owned by the core thread; copied with
 * {@link #snapshot} for the admin API.
 */
public final class RepairTotals {
    long rounds;
    long roundsComplete;
    long rangesCompared;
    long rangesDiffering;
    long rangesFailed;
    long keysDiffering;
    long entriesReceived;
    long entriesSent;
    long bytesSent;
    long bytesReceived;
    /** Start of the last complete round (core time), or -1. */
    long lastCompleteStartMs = -1;

    void add(RepairReport r) {
        rounds++;
        if (r.complete()) {
            roundsComplete++;
            lastCompleteStartMs = r.startedMs();
        }
        rangesCompared += r.rangesCompared();
        rangesDiffering += r.rangesDiffering();
        rangesFailed += r.rangesFailed();
        keysDiffering += r.keysDiffering();
        entriesReceived += r.entriesReceived();
        entriesSent += r.entriesSent();
        bytesSent += r.bytesSent();
        bytesReceived += r.bytesReceived();
    }

    /** Immutable copy. */
    public record Snapshot(long rounds, long roundsComplete, long rangesCompared, long rangesDiffering, long rangesFailed,
                           long keysDiffering, long entriesReceived, long entriesSent, long bytesSent, long bytesReceived) {
        public static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public Snapshot snapshot() {
        return new Snapshot(rounds, roundsComplete, rangesCompared, rangesDiffering, rangesFailed, keysDiffering,
                entriesReceived, entriesSent, bytesSent, bytesReceived);
    }

    public long lastCompleteStartMs() {
        return lastCompleteStartMs;
    }
}
