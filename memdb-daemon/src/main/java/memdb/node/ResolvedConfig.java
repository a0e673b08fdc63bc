package memdb.node;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A resolved configuration together with what it was resolved from: the raw setting of each key that
 * was given (flag, environment or file) and its source. Keeping the raw settings lets a live change be
 * checked by the very parser the config file goes through ({@link #with}), cross-key rules included.
 */
public record ResolvedConfig(ServerConfig config, Map<ConfigKey, Setting> settings, Map<ConfigKey, ConfigSource> sources,
                             Path dataDirDefault) {
    public ResolvedConfig {
        settings = Map.copyOf(settings);
        sources = Map.copyOf(sources);
    }

    /** A config built by a program rather than resolved (tests, embedding): every key counts as given by it. */
    public static ResolvedConfig embedded(ServerConfig config) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, ConfigSource> sources = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String value = ConfigValues.raw(config, key);
            if (value == null) continue;
            settings.put(key, new Setting(value, "the program that started the node"));
            sources.put(key, ConfigSource.EMBEDDED);
        }
        return new ResolvedConfig(config, settings, sources, config.storage().dataDir());
    }

    /** Where {@code key}'s value came from. */
    public ConfigSource source(ConfigKey key) {
        return sources.getOrDefault(key, ConfigSource.DEFAULT);
    }

    /**
     * The config these settings give with {@code overrides} on top.
     *
     * @throws ConfigException naming the key, the value and where it came from, when the result is invalid
     */
    public ServerConfig with(Map<ConfigKey, Setting> overrides) {
        Map<ConfigKey, Setting> merged = new EnumMap<>(ConfigKey.class);
        merged.putAll(settings);
        merged.putAll(overrides);
        return new SettingsReader(merged, dataDirDefault).serverConfig();
    }
}
