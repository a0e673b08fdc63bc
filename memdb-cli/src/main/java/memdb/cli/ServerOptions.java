package memdb.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import memdb.node.NodeRunner;
import memdb.node.ConfigException;
import memdb.node.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The options of a node ({@code memdb server} and {@code memdb join}). Each flag given overrides the
 * same key from MEMDB_* environment variables and the config file; flags not given stay unset.
 */
final class ServerOptions {
    /** The second paragraph of server's and join's help: where settings come from besides the flags. */
    static final String SETTINGS_HELP = "Every setting also comes from the environment (MEMDB_PORT, MEMDB_DATA_DIR: MEMDB_ and the key in capitals with _ for -) "
        + "or the config file (key = value lines); a flag wins. Settings without a flag (vnodes, "
        + "compaction-threshold-bytes, ...) are listed in docs/operations.md; memdb config get shows a running node's.";

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: /etc/memdb/memdb.conf when present).")
    Path config;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's id, 1..65535 (default 1).")
    String nodeId;

    @Option(names = "--bind", paramLabel = "HOST", description = "Address to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", description = "Client and node port (default 10000).")
    String port;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "HTTP admin port (default 10080).")
    String adminPort;

    @Option(names = "--resp-port", paramLabel = "PORT",
            description = "Also serve the Redis protocol (RESP2) on this port, for redis-cli and Redis clients (default 0: off).")
    String respPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the op log lives (default: $XDG_DATA_HOME/memdb or ~/.local/share/memdb).")
    String dataDir;

    @Option(names = "--seeds", paramLabel = "H:P[,H:P...]", description = "Nodes of the cluster to join.")
    String seeds;

    @Option(names = "--auth-key", paramLabel = "KEY",
            description = "The cluster's auth key (default: generated once into the user's config directory).")
    String authKey;

    @Option(names = "--fsync", paramLabel = "POLICY", description = "always, everysec or no (default everysec).")
    String fsync;

    @Option(names = "--persistence", paramLabel = "on|off",
            description = "off: keep nothing on disk, no op log (a node alone, as a cache: its data is lost when it stops; default on).")
    String persistence;

    @Option(names = "--force-recover",
            description = "Boot past a damaged op log, keeping every good record and reporting what was dropped.")
    boolean forceRecover;

    @Option(names = "--replication-factor", paramLabel = "N", description = "Replicas per key (default 3).")
    String replicationFactor;

    @Option(names = "--max-value-bytes", paramLabel = "BYTES", description = "Largest value accepted (default 1 MiB).")
    String maxValueBytes;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate of this node; with --tls-key, every port speaks TLS only (e.g. from memdb cert).")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8, unencrypted) private key of --tls-cert.")
    String tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificate(s) trusted for the peers (default: the system's).")
    String tlsCa;

    /**
     * Resolves the configuration (flags, environment, config file, defaults) and runs the node until
     * stopped; SIGHUP resolves it again (re-reading the file) and applies the settings that may change live.
     */
    int run(Io io, String seedsOverride) {
        try {
            NodeRunner.runForeground(ConfigLoader.system(flags(seedsOverride), io.env(), config));
        } catch (ConfigException e) { // a usage error like the command line's own (UsageErrors): where the help is
            throw new UserError(ExitCode.USAGE, e.getMessage() + " (see 'memdb " + (seedsOverride == null ? "server" : "join")
                    + " --help')");
        }
        return ExitCode.OK;
    }

    /** The flags given, by config key (what overrides the environment and the config file). */
    Map<String, String> flags(String seedsOverride) {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "node-id", nodeId);
        put(flags, "bind", bind);
        put(flags, "port", port);
        put(flags, "admin-port", adminPort);
        put(flags, "resp-port", respPort);
        put(flags, "data-dir", dataDir);
        put(flags, "seeds", seedsOverride != null ? seedsOverride : seeds);
        put(flags, "auth-key", authKey);
        put(flags, "fsync", fsync);
        put(flags, "persistence", persistence);
        put(flags, "max-value-bytes", maxValueBytes);
        put(flags, "replication-factor", replicationFactor);
        put(flags, "tls-cert", tlsCert);
        put(flags, "tls-key", tlsKey);
        put(flags, "tls-ca", tlsCa);
        if (forceRecover) flags.put("force-recover", "true");
        if (seedsOverride != null) flags.put("join", "true"); // memdb join: take ranges' data before serving them
        return flags;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) flags.put(key, value);
    }
}
