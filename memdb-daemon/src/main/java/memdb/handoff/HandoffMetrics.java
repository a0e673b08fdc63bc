package memdb.handoff;

/**
 * Counters of hinted handoff, read by the admin API's /metrics. As a sender (coordinator): hints stored,
 * replayed (acknowledged by their peer), dropped by reason, batches that failed. As a receiver (the
 * returning replica): records received in catch-up, and how many of them it applied (the rest it
 * already held, or held newer). Owned by the core thread.
 */
public final class HandoffMetrics {
    /** Why a hint was given up; anti-entropy repairs what it carried. */
    public enum DropReason { FULL, EXPIRED, LEFT, NOT_A_REPLICA }

    long hintsStored;
    long hintsReplayed;
    final long[] hintsDropped = new long[DropReason.values().length];
    long replayBatchesFailed;
    long catchupRecordsReceived;
    long catchupRecordsApplied;

    public long hintsStored() { return hintsStored; }

    public long hintsReplayed() { return hintsReplayed; }

    public long hintsDropped(DropReason reason) { return hintsDropped[reason.ordinal()]; }

    public long hintsDropped() {
        long sum = 0;
        for (long n : hintsDropped) sum += n;
        return sum;
    }

    public long replayBatchesFailed() { return replayBatchesFailed; }

    public long catchupRecordsReceived() { return catchupRecordsReceived; }

    public long catchupRecordsApplied() { return catchupRecordsApplied; }
}
