package memdb.oplog;

import java.util.Locale;

/**
 * When appended records reach the disk, with the meaning of Redis AOF's {@code appendfsync}.
 * <ul>
 *   <li>{@code ALWAYS}: a commit completes only after its records are fsynced (group commit: one fsync
 *       serves every commit waiting at that moment). A crash loses no acknowledged write.</li>
 *   <li>{@code EVERYSEC}: a commit completes once its records are written to the OS; a background fsync
 *       runs about once a second. A power loss can lose about the last second; a process crash nothing.</li>
 *   <li>{@code NO}: written to the OS, never fsynced explicitly (the OS flushes when it likes).</li>
 * </ul>
 */
public enum FsyncPolicy {
    ALWAYS, EVERYSEC, NO;

    /** Parses {@code always|everysec|no} (any case), as in the {@code fsync} config key. */
    public static FsyncPolicy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default -> throw new IllegalArgumentException("fsync must be always, everysec or no: " + text);
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
