package memdb.node;

import java.nio.file.Path;

/** Where the node keeps its op log, and how often the log is fsynced. */
public record StorageConfig(Path dataDir, FsyncPolicy fsync) {
    public static final FsyncPolicy FSYNC_DEFAULT = FsyncPolicy.EVERYSEC;
}
