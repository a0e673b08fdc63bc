package memdb.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a node's configuration was given — flags, environment, config file (or null for the system file
 * when present) — kept so that SIGHUP can resolve it again exactly as a restart would.
 */
public record ConfigLoader(Map<String, String> flags, Map<String, String> env, Path explicitConfigFileOrNull,
                           ConfigResolver resolver) implements Supplier<ResolvedConfig> {
    public ConfigLoader {
        flags = withoutNulls(flags);
        env = withoutNulls(env);
    }

    private static Map<String, String> withoutNulls(Map<String, String> map) {
        Map<String, String> copy = new java.util.HashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) copy.put(k, v);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** A loader with the real system config file and user home. */
    public static ConfigLoader system(Map<String, String> flags, Map<String, String> env, Path explicitConfigFileOrNull) {
        return new ConfigLoader(flags, env, explicitConfigFileOrNull, ConfigResolver.system());
    }

    /**
     * Resolves the configuration now, re-reading the config file.
     *
     * @throws ConfigException naming the setting and where it came from, when a setting is unknown or invalid
     */
    @Override
    public ResolvedConfig get() {
        return resolver.resolveWithSources(flags, env, explicitConfigFileOrNull);
    }
}
