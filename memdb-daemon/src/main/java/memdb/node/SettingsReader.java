package memdb.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import memdb.oplog.FsyncPolicy;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.repair.RepairSettings;

/**
 * Turns raw settings into the config records, checking each value's range; a bad value is a
 * {@link ConfigException} that names the setting and where it was written.
 */
final class SettingsReader {
    private final Map<ConfigKey, Setting> settings;
    private final Path dataDirDefault;

    SettingsReader(Map<ConfigKey, Setting> settings, Path dataDirDefault) {
        this.settings = settings;
        this.dataDirDefault = dataDirDefault;
    }

    ServerConfig serverConfig() {
        int nodeId = (int) number(ConfigKey.NODE_ID, 1, 65535, ServerConfig.NODE_ID_DEFAULT);
        NetworkConfig network = network();
        StorageConfig storage = storage();
        ClusterConfig cluster = cluster();
        if (!storage.persistence() && (!network.seeds().isEmpty() || cluster.join())) {
            throw settings.get(ConfigKey.PERSISTENCE).invalid(ConfigKey.PERSISTENCE, "a node without persistence runs alone: "
                    + "a cluster member that forgets its log when it restarts could break CAS and counters; drop "
                    + (cluster.join() ? "join" : "seeds") + " or turn persistence on");
        }
        return new ServerConfig(nodeId, network, limits(), storage, cluster, authKey(), logging(), repair(), security());
    }

    private ClusterConfig cluster() {
        int replicationFactor = (int) number(ConfigKey.REPLICATION_FACTOR, 1, 255, ClusterConfig.REPLICATION_FACTOR_DEFAULT);
        int vnodes = (int) number(ConfigKey.VNODES, 1, 4096, ClusterConfig.VNODES_DEFAULT);
        long gossipMs = number(ConfigKey.GOSSIP_INTERVAL_MS, 10, 60_000, ClusterConfig.GOSSIP_INTERVAL_MS_DEFAULT);
        long downAfterMs = number(ConfigKey.DOWN_AFTER_MS, 20, 600_000, ClusterConfig.DOWN_AFTER_MS_DEFAULT);
        if (downAfterMs <= gossipMs) {
            throw mismatch(ConfigKey.DOWN_AFTER_MS, downAfterMs, "it must be longer than gossip-interval-ms " + gossipMs,
                    ConfigKey.GOSSIP_INTERVAL_MS, "it must be shorter than down-after-ms");
        }
        long requestTimeoutMs = number(ConfigKey.REQUEST_TIMEOUT_MS, 1, 600_000, ClusterConfig.REQUEST_TIMEOUT_MS_DEFAULT);
        int maxHintsPerPeer = (int) number(ConfigKey.MAX_HINTS_PER_PEER, 0, 100_000_000, ClusterConfig.MAX_HINTS_PER_PEER_DEFAULT);
        return new ClusterConfig(replicationFactor, vnodes, gossipMs, downAfterMs, requestTimeoutMs,
                consistency(ConfigKey.WRITE_CONSISTENCY, Consistency.QUORUM), consistency(ConfigKey.READ_CONSISTENCY, Consistency.ONE),
                maxHintsPerPeer, bool(ConfigKey.JOIN), number(ConfigKey.STREAM_BYTES_PER_SEC, 1024, Long.MAX_VALUE,
                        ClusterConfig.STREAM_BYTES_PER_SEC_DEFAULT),
                number(ConfigKey.CAS_TIMEOUT_MS, 10, 600_000, ClusterConfig.CAS_TIMEOUT_MS_DEFAULT));
    }

    /**
     * Two settings that do not fit together: blames {@code key} where it was given; when it was not (its default
     * is what does not fit), blames {@code other} where that was given, so the message names the line, variable or
     * flag to change.
     */
    private ConfigException mismatch(ConfigKey key, long value, String reason, ConfigKey other, String otherReason) {
        Setting given = settings.get(key);
        if (given != null || !settings.containsKey(other)) {
            Setting blamed = given != null ? given : new Setting(String.valueOf(value), "the default");
            return blamed.invalid(key, reason);
        }
        return settings.get(other).invalid(other, otherReason + " " + value + " (the default)");
    }

    private RepairConfig repair() {
        long intervalMs = number(ConfigKey.REPAIR_INTERVAL_MS, 0, 30L * 86_400_000, RepairSettings.INTERVAL_MS_DEFAULT);
        long bandwidth = number(ConfigKey.REPAIR_BANDWIDTH_BYTES_PER_SEC, 0, Long.MAX_VALUE / 2,
                RepairSettings.BANDWIDTH_BYTES_PER_SEC_DEFAULT);
        return new RepairConfig(intervalMs, bandwidth);
    }

    private Consistency consistency(ConfigKey key, Consistency defaultValue) {
        Setting s = settings.get(key);
        if (s == null) return defaultValue;
        for (Consistency c : Consistency.values()) {
            if (c != Consistency.DEFAULT && c.name().equalsIgnoreCase(s.value())) return c;
        }
        throw s.invalid(key, "expected ONE, QUORUM or ALL");
    }

    private LoggingConfig logging() {
        long slowRequestMs = number(ConfigKey.SLOW_REQUEST_MS, 0, 3_600_000, LoggingConfig.SLOW_REQUEST_MS_DEFAULT);
        Setting s = settings.get(ConfigKey.LOG_LEVEL);
        if (s == null) return new LoggingConfig(LoggingConfig.LEVEL_DEFAULT, slowRequestMs);
        try {
            return new LoggingConfig(LogLevel.parse(s.value()), slowRequestMs);
        } catch (IllegalArgumentException e) {
            throw s.invalid(ConfigKey.LOG_LEVEL, "expected error, warn, info, debug or trace");
        }
    }

    private NetworkConfig network() {
        String bind = text(ConfigKey.BIND, NetworkConfig.BIND_DEFAULT);
        int port = (int) number(ConfigKey.PORT, 0, 65535, NetworkConfig.PORT_DEFAULT);
        int adminPort = (int) number(ConfigKey.ADMIN_PORT, 0, 65535, NetworkConfig.ADMIN_PORT_DEFAULT);
        int respPort = (int) number(ConfigKey.RESP_PORT, 0, 65535, 0);
        requireApart(ConfigKey.ADMIN_PORT, adminPort, ConfigKey.PORT, port);
        requireApart(ConfigKey.RESP_PORT, respPort, ConfigKey.PORT, port);
        requireApart(ConfigKey.RESP_PORT, respPort, ConfigKey.ADMIN_PORT, adminPort);
        long busyPollMicros = number(ConfigKey.BUSY_POLL_US, 0, NetworkConfig.BUSY_POLL_US_MAX, NetworkConfig.BUSY_POLL_US_DEFAULT);
        return new NetworkConfig(bind, port, adminPort, seeds(), respPort, advertiseAddress(), busyPollMicros);
    }

    /** Two listeners on one port: refused here, naming both, rather than by the second bind after the log's replay. */
    private void requireApart(ConfigKey key, int value, ConfigKey other, int otherValue) {
        if (value == 0 || value != otherValue) return; // 0: the system picks a free port for each
        throw mismatch(key, value, "it is also the " + other.key() + ", and each listener needs its own port",
                other, "it is also the " + key.key());
    }

    private HostPort advertiseAddress() {
        Setting s = settings.get(ConfigKey.ADVERTISE_ADDRESS);
        if (s == null) return null;
        try {
            return HostPort.parse(s.value().strip());
        } catch (IllegalArgumentException e) {
            throw s.invalid(ConfigKey.ADVERTISE_ADDRESS, e.getMessage() + "; expected host:port");
        }
    }

    private LimitsConfig limits() {
        int valueBytesMax = (int) number(ConfigKey.MAX_VALUE_BYTES, 0, Integer.MAX_VALUE, LimitsConfig.VALUE_BYTES_MAX_DEFAULT);
        int frameBytesMax = (int) number(ConfigKey.MAX_FRAME_BYTES, 1, Integer.MAX_VALUE, LimitsConfig.FRAME_BYTES_MAX_DEFAULT);
        int connectionsMax = (int) number(ConfigKey.MAX_CONNECTIONS, 1, Integer.MAX_VALUE, LimitsConfig.CONNECTIONS_MAX_DEFAULT);
        long idleTimeoutMs = number(ConfigKey.IDLE_TIMEOUT_MS, 0, Long.MAX_VALUE, LimitsConfig.IDLE_TIMEOUT_MS_DEFAULT);
        if (frameBytesMax < LimitsConfig.frameBytesNeeded(valueBytesMax)) {
            throw mismatch(ConfigKey.MAX_FRAME_BYTES, frameBytesMax, "a frame must hold the largest key with a value of max-value-bytes "
                    + valueBytesMax + ", so it must be at least " + LimitsConfig.frameBytesNeeded(valueBytesMax),
                    ConfigKey.MAX_VALUE_BYTES, "the largest key with such a value does not fit in a frame of max-frame-bytes");
        }
        int pendingMax = (int) number(ConfigKey.MAX_PENDING_PER_CONNECTION, 1, 1 << 20,
                LimitsConfig.PENDING_PER_CONNECTION_MAX_DEFAULT);
        int keyBytesMax = (int) number(ConfigKey.MAX_KEY_BYTES, 1, Key.BYTES_MAX, LimitsConfig.KEY_BYTES_MAX_DEFAULT);
        return new LimitsConfig(valueBytesMax, frameBytesMax, connectionsMax, idleTimeoutMs, pendingMax, memoryMax(), keyBytesMax);
    }

    /** {@code max-memory}: bytes, or a size with a unit (k, m, g, with or without a b: {@code 512mb}). */
    private long memoryMax() {
        Setting s = settings.get(ConfigKey.MAX_MEMORY);
        if (s == null) return LimitsConfig.memoryMaxBytesDefault();
        long bytes = Sizes.parseBytes(s.value());
        if (bytes < 1) throw s.invalid(ConfigKey.MAX_MEMORY, "expected a size such as 536870912, 512mb or 2g");
        return bytes;
    }

    private StorageConfig storage() {
        Setting dir = settings.get(ConfigKey.DATA_DIR);
        Path dataDir = dir == null ? dataDirDefault : path(dir);
        long threshold = number(ConfigKey.COMPACTION_THRESHOLD_BYTES, 0, Long.MAX_VALUE,
                StorageConfig.COMPACTION_THRESHOLD_BYTES_DEFAULT);
        long grace = number(ConfigKey.TOMBSTONE_GRACE_SECONDS, 0, Long.MAX_VALUE / 1000,
                StorageConfig.TOMBSTONE_GRACE_SECONDS_DEFAULT);
        return new StorageConfig(dataDir, fsync(), bool(ConfigKey.FORCE_RECOVER), threshold, grace,
                flag(ConfigKey.PERSISTENCE, true, "expected on or off"));
    }

    private boolean bool(ConfigKey key) {
        return flag(key, false, "expected true or false");
    }

    /** A yes/no setting: true, yes or on; false, no or off (any case); {@code ifUnset} when not given. */
    private boolean flag(ConfigKey key, boolean ifUnset, String expected) {
        Setting s = settings.get(key);
        if (s == null) return ifUnset;
        return switch (s.value().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw s.invalid(key, expected);
        };
    }

    private FsyncPolicy fsync() {
        Setting s = settings.get(ConfigKey.FSYNC);
        if (s == null) return StorageConfig.FSYNC_DEFAULT;
        try {
            return FsyncPolicy.parse(s.value());
        } catch (IllegalArgumentException e) {
            throw s.invalid(ConfigKey.FSYNC, "expected always, everysec or no");
        }
    }

    private Optional<String> authKey() {
        return secret(ConfigKey.AUTH_KEY);
    }

    private Optional<String> secret(ConfigKey key) {
        Setting s = settings.get(key);
        if (s == null) return Optional.empty();
        if (s.value().isEmpty()) throw s.invalid(key, "the key must not be empty");
        return Optional.of(s.value());
    }

    private SecurityConfig security() {
        Setting admin = settings.get(ConfigKey.ADMIN_KEY);
        SecurityConfig.AdminKey adminKey = SecurityConfig.AdminKey.NODE;
        if (admin != null) {
            try {
                adminKey = SecurityConfig.AdminKey.parse(admin.value());
            } catch (IllegalArgumentException e) {
                throw admin.invalid(ConfigKey.ADMIN_KEY, e.getMessage());
            }
        }
        return new SecurityConfig(secret(ConfigKey.CLIENT_KEY), secret(ConfigKey.NODE_KEY), adminKey, tls());
    }

    /** TLS is on when tls-cert and tls-key are both set; the files must be readable. */
    private Optional<TlsFiles> tls() {
        Setting cert = settings.get(ConfigKey.TLS_CERT);
        Setting key = settings.get(ConfigKey.TLS_KEY);
        Setting ca = settings.get(ConfigKey.TLS_CA);
        boolean mutual = bool(ConfigKey.TLS_PEER_MUTUAL);
        if (cert == null && key == null) {
            if (ca != null) throw ca.invalid(ConfigKey.TLS_CA, "tls-ca needs tls-cert and tls-key");
            if (mutual) throw settings.get(ConfigKey.TLS_PEER_MUTUAL).invalid(ConfigKey.TLS_PEER_MUTUAL, "mutual TLS needs tls-cert, tls-key and tls-ca");
            return Optional.empty();
        }
        if (cert == null) throw key.invalid(ConfigKey.TLS_KEY, "tls-key needs tls-cert too");
        if (key == null) throw cert.invalid(ConfigKey.TLS_CERT, "tls-cert needs tls-key too");
        if (mutual && ca == null) {
            throw settings.get(ConfigKey.TLS_PEER_MUTUAL).invalid(ConfigKey.TLS_PEER_MUTUAL, "mutual TLS needs tls-ca");
        }
        return Optional.of(new TlsFiles(readableFile(ConfigKey.TLS_CERT, cert), readableFile(ConfigKey.TLS_KEY, key),
                ca == null ? Optional.empty() : Optional.of(readableFile(ConfigKey.TLS_CA, ca)), mutual));
    }

    private static Path readableFile(ConfigKey key, Setting s) {
        Path path;
        try {
            path = Path.of(s.value());
        } catch (java.nio.file.InvalidPathException e) {
            throw s.invalid(key, "not a valid path");
        }
        if (!java.nio.file.Files.isReadable(path)) throw s.invalid(key, "no readable file there");
        return path;
    }

    private List<HostPort> seeds() {
        Setting s = settings.get(ConfigKey.SEEDS);
        List<HostPort> seeds = new ArrayList<>();
        if (s == null) return seeds;
        for (String part : s.value().split(",")) {
            if (part.isBlank()) continue;
            try {
                seeds.add(HostPort.parse(part.strip()));
            } catch (IllegalArgumentException e) {
                throw s.invalid(ConfigKey.SEEDS, e.getMessage() + "; expected host:port,host:port,...");
            }
        }
        return seeds;
    }

    private String text(ConfigKey key, String defaultValue) {
        Setting s = settings.get(key);
        if (s == null) return defaultValue;
        if (s.value().isEmpty()) throw s.invalid(key, "it must not be empty");
        return s.value();
    }

    private long number(ConfigKey key, long min, long max, long defaultValue) {
        Setting s = settings.get(key);
        if (s == null) return defaultValue;
        long value;
        try {
            value = Long.parseLong(s.value());
        } catch (NumberFormatException e) {
            throw s.invalid(key, "expected a whole number");
        }
        if (value < min || value > max) throw s.invalid(key, "expected a number in " + min + ".." + max);
        return value;
    }

    private static Path path(Setting s) {
        if (s.value().isEmpty()) throw s.invalid(ConfigKey.DATA_DIR, "it must not be empty");
        try {
            return Path.of(s.value());
        } catch (java.nio.file.InvalidPathException e) {
            throw s.invalid(ConfigKey.DATA_DIR, "not a valid path");
        }
    }
}
