package memdb.oplog;

import java.io.IOException;
import java.nio.file.Path;

/** The data directory's lock is held by another process (or another log in this one): it is in use. */
public final class LogLockedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path dir;

    public LogLockedException(Path dir) {
        super("data directory " + dir + " is in use: another process holds " + dir.resolve(LogDirectory.LOCK_FILE)
                + " (stop the server first)");
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }
}
