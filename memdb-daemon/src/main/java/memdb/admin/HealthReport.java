package memdb.admin;

/** The body of {@code GET /v1/health}: "UP" whenever the admin server can answer at all. Pure data. */
public record HealthReport(String status, int nodeId, long uptimeMs, String version) {
    public static HealthReport up(int nodeId, long uptimeMs, String version) {
        return new HealthReport("UP", nodeId, uptimeMs, version);
    }
}
