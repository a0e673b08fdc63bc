package memdb.node;

import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Each setting of a {@link ServerConfig} written back as text, in the form the config file takes (so
 * that writing a value and parsing it again gives the same config). No key (auth-key, client-key, node-key)
 * is ever shown: {@link #shown} masks them; only {@link #raw} carries them, for re-resolving.
 */
final class ConfigValues {
    static final String HIDDEN = "(hidden)";
    static final String FROM_KEY_FILE = "(the auth-key file)";
    static final String FROM_AUTH_KEY = "(auth-key)";
    static final String NONE = "(none)";
    static final String BIND_AND_PORT = "(bind:port)";

    private ConfigValues() {}

    /** The value as an operator may see it: the keys masked. */
    static String shown(ServerConfig config, ConfigKey key) {
        String raw = raw(config, key);
        if (key == ConfigKey.AUTH_KEY) return raw != null ? HIDDEN : FROM_KEY_FILE;
        if (key.secret()) return raw != null ? HIDDEN : FROM_AUTH_KEY;
        if (key == ConfigKey.ADVERTISE_ADDRESS && raw == null) return BIND_AND_PORT;
        return raw != null ? raw : NONE;
    }

    /** The value as the config file would write it; null for an absent key, TLS file or advertise address. */
    static String raw(ServerConfig c, ConfigKey key) {
        return switch (key) {
            case NODE_ID -> String.valueOf(c.nodeId());
            case BIND -> c.network().bind();
            case PORT -> String.valueOf(c.network().port());
            case ADMIN_PORT -> String.valueOf(c.network().adminPort());
            case DATA_DIR -> c.storage().dataDir().toString();
            case AUTH_KEY -> c.authKey().orElse(null);
            case SEEDS -> c.network().seeds().stream().map(HostPort::toString).collect(Collectors.joining(","));
            case MAX_VALUE_BYTES -> String.valueOf(c.limits().valueBytesMax());
            case MAX_FRAME_BYTES -> String.valueOf(c.limits().frameBytesMax());
            case MAX_CONNECTIONS -> String.valueOf(c.limits().connectionsMax());
            case IDLE_TIMEOUT_MS -> String.valueOf(c.limits().idleTimeoutMs());
            case FSYNC -> c.storage().fsync().configName();
            case FORCE_RECOVER -> String.valueOf(c.storage().forceRecover());
            case COMPACTION_THRESHOLD_BYTES -> String.valueOf(c.storage().compactionThresholdBytes());
            case TOMBSTONE_GRACE_SECONDS -> String.valueOf(c.storage().tombstoneGraceSeconds());
            case REPLICATION_FACTOR -> String.valueOf(c.cluster().replicationFactor());
            case VNODES -> String.valueOf(c.cluster().vnodesPerNode());
            case GOSSIP_INTERVAL_MS -> String.valueOf(c.cluster().gossipIntervalMs());
            case DOWN_AFTER_MS -> String.valueOf(c.cluster().downAfterMs());
            case REQUEST_TIMEOUT_MS -> String.valueOf(c.cluster().requestTimeoutMs());
            case WRITE_CONSISTENCY -> c.cluster().writeConsistency().name();
            case READ_CONSISTENCY -> c.cluster().readConsistency().name();
            case LOG_LEVEL -> c.logging().level().configName();
            case SLOW_REQUEST_MS -> String.valueOf(c.logging().slowRequestMs());
            case RESP_PORT -> String.valueOf(c.network().respPort());
            case BUSY_POLL_US -> String.valueOf(c.network().busyPollMicros());
            case MAX_HINTS_PER_PEER -> String.valueOf(c.cluster().maxHintsPerPeer());
            case JOIN -> String.valueOf(c.cluster().join());
            case PERSISTENCE -> c.storage().persistence() ? "on" : "off";
            case STREAM_BYTES_PER_SEC -> String.valueOf(c.cluster().streamBytesPerSec());
            case CAS_TIMEOUT_MS -> String.valueOf(c.cluster().casTimeoutMs());
            case REPAIR_INTERVAL_MS -> String.valueOf(c.repair().intervalMs());
            case REPAIR_BANDWIDTH_BYTES_PER_SEC -> String.valueOf(c.repair().bandwidthBytesPerSec());
            case MAX_PENDING_PER_CONNECTION -> String.valueOf(c.limits().pendingPerConnectionMax());
            case MAX_MEMORY -> String.valueOf(c.limits().memoryMaxBytes());
            case MAX_KEY_BYTES -> String.valueOf(c.limits().keyBytesMax());
            case CLIENT_KEY -> c.security().clientKey().orElse(null);
            case NODE_KEY -> c.security().nodeKey().orElse(null);
            case ADMIN_KEY -> c.security().adminKey().configName();
            case TLS_CERT -> c.security().tls().map(t -> t.certificate().toString()).orElse(null);
            case TLS_KEY -> c.security().tls().map(t -> t.privateKey().toString()).orElse(null);
            case TLS_CA -> c.security().tls().flatMap(TlsFiles::ca).map(Path::toString).orElse(null);
            case TLS_PEER_MUTUAL -> String.valueOf(c.security().tls().map(TlsFiles::peerMutual).orElse(false));
            case ADVERTISE_ADDRESS -> c.network().advertiseAddress() == null ? null : c.network().advertiseAddress().toString();
        };
    }
}
