package memdb.node;

/**
 * One raw setting and where it came from ({@code "flag --port"}, {@code "environment variable MEMDB_PORT"},
 * {@code "/etc/memdb/memdb.conf line 3"}), so that a bad value can be reported where the user wrote it.
 */
public record Setting(String value, String origin) {
    public ConfigException invalid(ConfigKey key, String reason) {
        return new ConfigException("invalid " + key.key() + " '" + shown(key) + "' (from " + origin + "): " + reason);
    }

    /** The value as it may appear in a message: never a key itself. */
    private String shown(ConfigKey key) {
        return key.secret() ? "***" : value;
    }
}
