package memdb.admin;

import java.util.List;
import java.util.Map;
import memdb.limits.WriteLimits;
import memdb.repair.RepairTotals;

/**
 * The body of {@code GET /metrics}: request metrics from {@link RequestMetrics}, the core's counters
 * and gauges from {@link NodeMetrics}, and the uptime from {@link HealthReport}. Metric names are
 * documented in docs/admin-api.md; renaming one breaks dashboards.
 */
final class MetricsPage {
    private MetricsPage() {}

    static String render(List<RequestMetrics.OperationStats> requests, NodeMetrics node, HealthReport health) {
        PrometheusText text = new PrometheusText();
        requests(text, requests);
        replication(text, node);
        handoff(text, node.handoff());
        text.single("memdb_keys", "gauge", "Keys holding a live value on this node.", node.keys());
        text.single("memdb_entries", "gauge", "Entries on this node, tombstones included.", node.entries());
        text.single("memdb_store_bytes", "gauge",
                "Bytes of this node's store: entries (key, version, value; off the heap) and table (on it).", node.storeBytes());
        text.single("memdb_lamport_time", "gauge", "This node's Lamport clock.", node.lamportTime());
        text.single("memdb_pending_operations", "gauge", "Operations this node coordinates that wait for replicas.",
                node.pendingOperations());
        text.single("memdb_ring_version", "gauge", "Version of this node's ring; grows at every change.", node.ringVersion());
        text.family("memdb_cluster_nodes", "gauge", "Ring members by this node's failure-detector verdict.")
                .sample("memdb_cluster_nodes", node.nodesUp(), "state", "up")
                .sample("memdb_cluster_nodes", node.nodesDown(), "state", "down");
        text.single("memdb_uptime_seconds", "gauge", "Seconds since this node started.", health.uptimeMs() / 1000.0);
        return text.text();
    }

    /** The anti-entropy families (memdb_repair_*), appended after {@link #render}'s. */
    static String renderRepair(RepairTotals.Snapshot r) {
        PrometheusText text = new PrometheusText();
        text.family("memdb_repair_rounds_total", "counter", "Anti-entropy rounds this node ran, by outcome.")
                .sample("memdb_repair_rounds_total", r.roundsComplete(), "outcome", "complete")
                .sample("memdb_repair_rounds_total", r.rounds() - r.roundsComplete(), "outcome", "incomplete");
        text.family("memdb_repair_ranges_total", "counter", "Ranges compared with a peer by anti-entropy, by result.")
                .sample("memdb_repair_ranges_total", r.rangesCompared() - r.rangesDiffering(), "result", "same")
                .sample("memdb_repair_ranges_total", r.rangesDiffering(), "result", "differing")
                .sample("memdb_repair_ranges_total", r.rangesFailed(), "result", "failed");
        text.single("memdb_repair_keys_differing_total", "counter", "Keys found different between replicas by anti-entropy.",
                r.keysDiffering());
        text.family("memdb_repair_entries_total", "counter", "Versions anti-entropy moved, by direction.")
                .sample("memdb_repair_entries_total", r.entriesReceived(), "direction", "received")
                .sample("memdb_repair_entries_total", r.entriesSent(), "direction", "sent");
        text.family("memdb_repair_bytes_total", "counter", "Anti-entropy traffic of this node's rounds, by direction.")
                .sample("memdb_repair_bytes_total", r.bytesReceived(), "direction", "received")
                .sample("memdb_repair_bytes_total", r.bytesSent(), "direction", "sent");
        return text.text();
    }

    /** The limits families (memdb_memory_*, memdb_requests_refused_total), appended after the others. */
    static String renderLimits(WriteLimits.Snapshot limits) {
        PrometheusText text = new PrometheusText();
        text.single("memdb_memory_max_bytes", "gauge", "max-memory: above it, writes are refused with OUT_OF_MEMORY.",
                limits.memoryMaxBytes());
        text.single("memdb_memory_used_bytes", "gauge", "Bytes counted against max-memory: the store and the hints held.",
                limits.memoryUsedBytes());
        text.family("memdb_requests_refused_total", "counter", "Requests refused by the node's limits, by reason.")
                .sample("memdb_requests_refused_total", limits.refusedOutOfMemory(), "reason", "out_of_memory")
                .sample("memdb_requests_refused_total", limits.refusedKeyTooLong(), "reason", "key_too_long");
        return text.text();
    }

    private static void requests(PrometheusText text, List<RequestMetrics.OperationStats> requests) {
        text.family("memdb_requests_total", "counter", "Client requests answered, by operation and outcome.");
        for (RequestMetrics.OperationStats s : requests) {
            text.sample("memdb_requests_total", s.ok(), "op", s.op(), "outcome", "ok");
            text.sample("memdb_requests_total", s.errors(), "op", s.op(), "outcome", "error");
        }
        String latency = "memdb_request_latency_seconds";
        text.family(latency, "summary", "Request latency by operation, quantiles since the node started.");
        for (RequestMetrics.OperationStats s : requests) {
            text.sample(latency, s.p50Seconds(), "op", s.op(), "quantile", "0.5");
            text.sample(latency, s.p99Seconds(), "op", s.op(), "quantile", "0.99");
            text.sample(latency, s.p999Seconds(), "op", s.op(), "quantile", "0.999");
            text.sample(latency + "_sum", s.latencySumSeconds(), "op", s.op());
            text.sample(latency + "_count", s.latencyCount(), "op", s.op());
        }
    }

    private static void handoff(PrometheusText text, NodeMetrics.Handoff h) {
        text.single("memdb_hints_pending", "gauge", "Hints this node holds: writes its peers missed, not yet replayed.",
                h.hintsPending());
        text.single("memdb_hints_stored_total", "counter", "Hints stored for peers that missed a write.", h.hintsStored());
        text.single("memdb_hints_replayed_total", "counter", "Hints replayed to and acknowledged by their peer.",
                h.hintsReplayed());
        text.family("memdb_hints_dropped_total", "counter", "Hints given up (anti-entropy repairs them), by reason.");
        for (Map.Entry<String, Long> dropped : h.hintsDropped().entrySet()) {
            text.sample("memdb_hints_dropped_total", dropped.getValue(), "reason", dropped.getKey());
        }
        text.single("memdb_hint_batches_failed_total", "counter", "HINTS batches not acknowledged (retried later).",
                h.replayBatchesFailed());
        text.single("memdb_catchup_records_received_total", "counter",
                "Records received in catch-up: versions this node missed, replayed to it by peers' hinted handoff.",
                h.catchupRecordsReceived());
        text.single("memdb_catchup_records_applied_total", "counter",
                "Records received in catch-up that were newer than what this node held.", h.catchupRecordsApplied());
    }

    private static void replication(PrometheusText text, NodeMetrics node) {
        text.single("memdb_replication_messages_total", "counter", "Requests sent to replicas by this coordinator.",
                node.replicationMessages());
        text.single("memdb_read_repairs_total", "counter", "Stale replicas repaired by quorum reads.", node.readRepairs());
        text.family("memdb_coordinated_writes_total", "counter", "Writes this node coordinated, by outcome.")
                .sample("memdb_coordinated_writes_total", node.writesSucceeded(), "outcome", "ok")
                .sample("memdb_coordinated_writes_total", node.writesFailed(), "outcome", "error");
        text.family("memdb_coordinated_reads_total", "counter", "Reads this node coordinated, by outcome.")
                .sample("memdb_coordinated_reads_total", node.readsSucceeded(), "outcome", "ok")
                .sample("memdb_coordinated_reads_total", node.readsFailed(), "outcome", "error");
        text.single("memdb_replication_timeouts_total", "counter", "Coordinated operations that timed out waiting for replicas.",
                node.replicationTimeouts());
        text.single("memdb_concurrent_writes_total", "counter", "Writes superseded by a newer version (detected concurrent writes).",
                node.concurrentWrites());
    }
}
