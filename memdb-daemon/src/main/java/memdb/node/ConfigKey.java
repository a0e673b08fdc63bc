package memdb.node;

import java.util.Locale;
import java.util.Optional;

/**
 * The settings a node reads, by the name they carry in a config file and as a flag ({@code node-id});
 * in the environment each is {@code MEMDB_} + the name upper-cased with '-' as '_' ({@code MEMDB_NODE_ID}).
 */
public enum ConfigKey {
    NODE_ID("node-id"),
    BIND("bind"),
    PORT("port"),
    ADMIN_PORT("admin-port"),
    DATA_DIR("data-dir"),
    AUTH_KEY("auth-key"),
    SEEDS("seeds"),
    MAX_VALUE_BYTES("max-value-bytes"),
    MAX_FRAME_BYTES("max-frame-bytes"),
    MAX_CONNECTIONS("max-connections"),
    IDLE_TIMEOUT_MS("idle-timeout-ms"),
    FSYNC("fsync"),
    FORCE_RECOVER("force-recover"),
    COMPACTION_THRESHOLD_BYTES("compaction-threshold-bytes"),
    TOMBSTONE_GRACE_SECONDS("tombstone-grace-seconds"),
    REPLICATION_FACTOR("replication-factor"),
    VNODES("vnodes"),
    GOSSIP_INTERVAL_MS("gossip-interval-ms"),
    DOWN_AFTER_MS("down-after-ms"),
    REQUEST_TIMEOUT_MS("request-timeout-ms"),
    WRITE_CONSISTENCY("write-consistency"),
    READ_CONSISTENCY("read-consistency"),
    REPAIR_INTERVAL_MS("repair-interval-ms"),
    REPAIR_BANDWIDTH_BYTES_PER_SEC("repair-bandwidth-bytes-per-sec");

    private final String key;

    ConfigKey(String key) {
        this.key = key;
    }

    /** The name in a config file and in a flags map, e.g. {@code node-id}. */
    public String key() {
        return key;
    }

    /** The environment variable, e.g. {@code MEMDB_NODE_ID}. */
    public String environmentVariable() {
        return "MEMDB_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static Optional<ConfigKey> byKey(String key) {
        for (ConfigKey k : values()) if (k.key.equals(key)) return Optional.of(k);
        return Optional.empty();
    }
}
