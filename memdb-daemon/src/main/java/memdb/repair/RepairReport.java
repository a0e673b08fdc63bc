package memdb.repair;

/**
 * What one anti-entropy round found and fixed on the node that ran it.
 *
 * @param complete           every range was compared with every other replica of it (none down, none timed out);
 *                           only a complete round counts for tombstone purging
 * @param rangesCompared     (range, peer) pairs compared to the end
 * @param rangesDiffering    of those, pairs whose trees differed
 * @param rangesFailed       pairs not compared: peer down, unreachable or timed out
 * @param keysDiffering      keys whose versions differed between the two replicas
 * @param entriesReceived    newer versions taken from peers (applied here)
 * @param entriesSent        versions pushed to peers that lacked them or held older ones
 * @param bytesSent          repair bytes this node sent (requests and pushes)
 * @param bytesReceived      repair bytes it received (hashes and entries)
 */
public record RepairReport(boolean complete, long startedMs, long durationMs, long rangesCompared, long rangesDiffering,
                           long rangesFailed, long keysDiffering, long entriesReceived, long entriesSent, long bytesSent,
                           long bytesReceived) {
}
