package memdb.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a node needs to start, resolved from flags, environment, config file and defaults (in that
 * order of precedence, DESIGN §8). An absent auth key means: use the key in the user's auth-key file,
 * creating it on first start. {@link #toString()} never shows the key.
 */
public record ServerConfig(int nodeId, NetworkConfig network, LimitsConfig limits, StorageConfig storage,
                           ClusterConfig cluster, Optional<String> authKey,
                           LoggingConfig logging, RepairConfig repair, SecurityConfig security) {
    public static final int NODE_ID_DEFAULT = 1;

    /** With the default keys (the auth key for everything) and no TLS. */
    public ServerConfig(int nodeId, NetworkConfig network, LimitsConfig limits, StorageConfig storage,
                        ClusterConfig cluster, Optional<String> authKey, LoggingConfig logging, RepairConfig repair) {
        this(nodeId, network, limits, storage, cluster, authKey, logging, repair, SecurityConfig.DEFAULTS);
    }

    /** The same config with other keys and TLS settings. */
    public ServerConfig withSecurity(SecurityConfig newSecurity) {
        return new ServerConfig(nodeId, network, limits, storage, cluster, authKey, logging, repair, newSecurity);
    }

    /** With the default anti-entropy settings. */
    public ServerConfig(int nodeId, NetworkConfig network, LimitsConfig limits, StorageConfig storage,
                        ClusterConfig cluster, Optional<String> authKey, LoggingConfig logging) {
        this(nodeId, network, limits, storage, cluster, authKey, logging, RepairConfig.defaults());
    }

    /**
     * Resolves the configuration: {@code flags} (keyed by setting name, e.g. {@code "node-id"}) win over
     * {@code env} ({@code MEMDB_NODE_ID}, ...), which win over the config file ({@code explicitConfigFileOrNull},
     * else /etc/memdb/memdb.conf when present), which wins over the defaults.
     *
     * @throws ConfigException naming the setting and where it came from, when a setting is unknown or invalid
     */
    public static ServerConfig resolve(Map<String, String> flags, Map<String, String> env, Path explicitConfigFileOrNull) {
        return ConfigResolver.system().resolve(flags, env, explicitConfigFileOrNull);
    }

    @Override
    public String toString() {
        return "ServerConfig[nodeId=" + nodeId + ", " + network + ", " + limits + ", " + storage + ", " + cluster
                + ", " + repair + ", authKey=" + (authKey.isPresent() ? "(configured)" : "(from the auth-key file)")
                + ", " + logging + ", " + security + "]";
    }
}
