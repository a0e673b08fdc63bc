package memdb.oplog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Damage in the middle of the log (not a torn tail): replay stops here unless forced to recover.
 * The message names the file and the byte offset and says how to proceed.
 */
public final class LogCorruptionException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;
    private final String reason;

    public LogCorruptionException(Path file, long offset, String reason) {
        super("op log is damaged in " + file + " at offset " + offset + ": " + reason
                + "; records after it would be lost. Restart with --force-recover to keep every good record"
                + " and drop the damaged bytes");
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
