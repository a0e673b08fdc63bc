package memdb.resp;

/**
 * What the RESP listener tells tools about the node (INFO, CONFIG GET, HELLO): its software version, node
 * id, the RESP port, the op log's fsync policy ({@code always|everysec|no}, or null when the node keeps no
 * op log), the connection limit, and when it started (ms since the epoch, for uptime).
 */
public record ServerFacts(String version, int nodeId, int port, String fsyncPolicy, int connectionsMax, long startedMs) {
    public boolean persistent() {
        return fsyncPolicy != null;
    }
}
