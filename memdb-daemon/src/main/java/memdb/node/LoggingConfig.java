package memdb.node;

/**
 * What the node logs: its log level, and the threshold above which a client request is logged as slow
 * ({@code slowRequestMs}; 0 = never).
 */
public record LoggingConfig(LogLevel level, long slowRequestMs) {
    public static final LogLevel LEVEL_DEFAULT = LogLevel.INFO;
    public static final long SLOW_REQUEST_MS_DEFAULT = 0;

    public static LoggingConfig defaults() {
        return new LoggingConfig(LEVEL_DEFAULT, SLOW_REQUEST_MS_DEFAULT);
    }
}
