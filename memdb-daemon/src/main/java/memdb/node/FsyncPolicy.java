package memdb.node;

import java.util.Locale;

/** When the op log is fsynced (as Redis AOF): on every commit, once a second, or left to the OS. */
public enum FsyncPolicy {
    ALWAYS, EVERYSEC, NO;

    /** Parses {@code always|everysec|no}; null when it is none of them. */
    public static FsyncPolicy parseOrNull(String text) {
        for (FsyncPolicy p : values()) if (p.configName().equals(text)) return p;
        return null;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
