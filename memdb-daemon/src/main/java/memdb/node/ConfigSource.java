package memdb.node;

import java.util.Locale;

/**
 * Where the value of a setting in force came from, by precedence (DESIGN §8): a flag, a MEMDB_*
 * environment variable, the config file, the default; or a live change through the admin API (which
 * outranks them all until the next restart or SIGHUP); or the program that embedded the node.
 */
public enum ConfigSource {
    LIVE, FLAG, ENV, FILE, DEFAULT, EMBEDDED;

    /** The name in {@code GET /v1/config}: live, flag, env, file, default, embedded. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
