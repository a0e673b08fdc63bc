package memdb.node;

import memdb.oplog.FsyncPolicy;
import memdb.protocol.Consistency;

/**
 * The settings a running node can change without a restart ({@link ConfigKey#live()}), as one immutable
 * snapshot: {@link RunningConfig} swaps in a new one and hands it to the core thread as an input
 * ({@link CoreLoop#reconfigure}), which applies it between two requests.
 */
public record LiveSettings(FsyncPolicy fsync, long compactionThresholdBytes, long tombstoneGraceSeconds,
                           Consistency writeConsistency, Consistency readConsistency, LogLevel logLevel,
                           long slowRequestMs) {
    public static LiveSettings of(ServerConfig config) {
        StorageConfig storage = config.storage();
        ClusterConfig cluster = config.cluster();
        return new LiveSettings(storage.fsync(), storage.compactionThresholdBytes(), storage.tombstoneGraceSeconds(),
                cluster.writeConsistency(), cluster.readConsistency(), config.logging().level(),
                config.logging().slowRequestMs());
    }
}
