package memdb.admin;

import java.util.List;

/**
 * A node's configuration as {@code GET /v1/config} shows it: every key with the value in force, where
 * that value came from ({@code flag}, {@code env}, {@code file}, {@code default}, {@code live} or
 * {@code embedded}), whether it can change on the running node, and its environment variable. The
 * auth key's value is never shown. Field names are part of the API: the CLI reads them.
 */
public record ConfigReport(int nodeId, List<Entry> settings) {
    /** One key; {@code restartPending}: a value read by SIGHUP that waits for a restart, else null. */
    public record Entry(String key, String value, String source, boolean live, String env, String restartPending) {}

    public ConfigReport {
        settings = List.copyOf(settings);
    }
}
