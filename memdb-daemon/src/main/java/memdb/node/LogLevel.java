package memdb.node;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's log level ({@code log-level}): error, warn, info, debug or trace, mapped onto the JDK's
 * logging (java.util.logging, which {@code System.Logger} writes to). Applying a level sets the root
 * logger and its handlers, so that a lower level really reaches the console.
 */
public enum LogLevel {
    ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE), TRACE(Level.FINEST);

    private final Level julLevel;

    LogLevel(Level julLevel) {
        this.julLevel = julLevel;
    }

    /** Parses {@code error|warn|info|debug|trace} (any case; {@code warning} also means warn). */
    public static LogLevel parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (name.equals("WARNING")) return WARN;
        for (LogLevel level : values()) if (level.name().equals(name)) return level;
        throw new IllegalArgumentException("log level must be error, warn, info, debug or trace: " + text);
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Makes this the level of the whole process's logging (thread-safe: java.util.logging synchronizes). */
    public void applyToProcess() {
        Logger root = Logger.getLogger("");
        root.setLevel(julLevel);
        for (Handler handler : root.getHandlers()) handler.setLevel(julLevel);
    }
}
