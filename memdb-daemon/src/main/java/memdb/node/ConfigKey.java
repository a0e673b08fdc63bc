package memdb.node;

import java.util.Locale;
import java.util.Optional;

/**
 * The settings a node reads, by the name they carry in a config file and as a flag ({@code node-id});
 * in the environment each is {@code MEMDB_} + the name upper-cased with '-' as '_' ({@code MEMDB_NODE_ID}).
 *
 * <p>This is the one place that says which settings may change on a running node ({@link Reload#LIVE}:
 * through {@code PUT /v1/config/KEY} or SIGHUP, see {@link RunningConfig}) and which take effect only at
 * the next start ({@link Reload#RESTART}, the default for a key that does not say).
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
    FSYNC("fsync", Reload.LIVE),
    FORCE_RECOVER("force-recover"),
    COMPACTION_THRESHOLD_BYTES("compaction-threshold-bytes", Reload.LIVE),
    TOMBSTONE_GRACE_SECONDS("tombstone-grace-seconds", Reload.LIVE),
    REPLICATION_FACTOR("replication-factor"),
    VNODES("vnodes"),
    GOSSIP_INTERVAL_MS("gossip-interval-ms"),
    DOWN_AFTER_MS("down-after-ms"),
    REQUEST_TIMEOUT_MS("request-timeout-ms"),
    WRITE_CONSISTENCY("write-consistency", Reload.LIVE),
    READ_CONSISTENCY("read-consistency", Reload.LIVE),
    LOG_LEVEL("log-level", Reload.LIVE),
    SLOW_REQUEST_MS("slow-request-ms", Reload.LIVE),
    RESP_PORT("resp-port"),
    MAX_HINTS_PER_PEER("max-hints-per-peer"),
    JOIN("join"),
    STREAM_BYTES_PER_SEC("stream-bytes-per-sec"),
    CAS_TIMEOUT_MS("cas-timeout-ms"),
    REPAIR_INTERVAL_MS("repair-interval-ms"),
    REPAIR_BANDWIDTH_BYTES_PER_SEC("repair-bandwidth-bytes-per-sec"),
    MAX_PENDING_PER_CONNECTION("max-pending-per-connection"),
    MAX_MEMORY("max-memory"),
    MAX_KEY_BYTES("max-key-bytes"),
    CLIENT_KEY("client-key"),
    NODE_KEY("node-key"),
    ADMIN_KEY("admin-key"),
    TLS_CERT("tls-cert"),
    TLS_KEY("tls-key"),
    TLS_CA("tls-ca"),
    TLS_PEER_MUTUAL("tls-peer-mutual"),
    ADVERTISE_ADDRESS("advertise-address"),
    PERSISTENCE("persistence"),
    BUSY_POLL_US("busy-poll-us");

    /** Whether a new value takes effect on the running node or only at its next start. */
    public enum Reload { LIVE, RESTART }

    private final String key;
    private final Reload reload;

    ConfigKey(String key) {
        this(key, Reload.RESTART);
    }

    ConfigKey(String key, Reload reload) {
        this.key = key;
        this.reload = reload;
    }

    /** True when a new value takes effect without a restart. */
    public boolean live() {
        return reload == Reload.LIVE;
    }

    /** True for the keys whose values are secrets: never shown, logged or echoed in an error message. */
    public boolean secret() {
        return this == AUTH_KEY || this == CLIENT_KEY || this == NODE_KEY;
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
