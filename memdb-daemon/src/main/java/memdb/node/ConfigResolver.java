package memdb.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Merges the layers of configuration by precedence (DESIGN §8): flags over environment over config file
 * over defaults. The system config file and the user's home are injected so that tests need neither.
 * Unknown flags are refused; environment variables other than MEMDB_&lt;known key&gt; are ignored, and an
 * empty environment variable counts as unset.
 */
public final class ConfigResolver {
    public static final Path SYSTEM_CONFIG_FILE = Path.of("/etc/memdb/memdb.conf");

    private final Path systemConfigFile;
    private final String userHome;

    public ConfigResolver(Path systemConfigFile, String userHome) {
        this.systemConfigFile = systemConfigFile;
        this.userHome = userHome;
    }

    /** The resolver of a real process: /etc/memdb/memdb.conf and the user.home property. */
    public static ConfigResolver system() {
        return new ConfigResolver(SYSTEM_CONFIG_FILE, System.getProperty("user.home"));
    }

    public ServerConfig resolve(Map<String, String> flags, Map<String, String> env, Path explicitConfigFileOrNull) {
        return resolveWithSources(flags, env, explicitConfigFileOrNull).config();
    }

    /** As {@link #resolve}, keeping each key's raw setting and its source (for the admin API and live changes). */
    public ResolvedConfig resolveWithSources(Map<String, String> flags, Map<String, String> env, Path explicitConfigFileOrNull) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, ConfigSource> sources = new EnumMap<>(ConfigKey.class);
        Path file = explicitConfigFileOrNull != null ? explicitConfigFileOrNull : systemFileIfPresent();
        if (file != null) layer(settings, sources, ConfigFile.read(file), ConfigSource.FILE);
        layer(settings, sources, fromEnvironment(env), ConfigSource.ENV);
        layer(settings, sources, fromFlags(flags), ConfigSource.FLAG);
        Path dataDirDefault = defaultDataDir(env);
        return new ResolvedConfig(new SettingsReader(settings, dataDirDefault).serverConfig(), settings, sources, dataDirDefault);
    }

    private static void layer(Map<ConfigKey, Setting> settings, Map<ConfigKey, ConfigSource> sources,
                              Map<ConfigKey, Setting> layer, ConfigSource source) {
        settings.putAll(layer);
        layer.keySet().forEach(key -> sources.put(key, source));
    }

    private Path systemFileIfPresent() {
        return systemConfigFile != null && Files.isRegularFile(systemConfigFile) ? systemConfigFile : null;
    }

    private static Map<ConfigKey, Setting> fromEnvironment(Map<String, String> env) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String value = env.get(key.environmentVariable());
            if (value != null && !value.isEmpty()) {
                settings.put(key, new Setting(value.strip(), "environment variable " + key.environmentVariable()));
            }
        }
        return settings;
    }

    /** Flags are keyed by setting name (a leading "--" is tolerated); a null value means the flag was not given. */
    private static Map<ConfigKey, Setting> fromFlags(Map<String, String> flags) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        flags.forEach((given, value) -> {
            String name = given.startsWith("--") ? given.substring(2) : given;
            ConfigKey key = ConfigKey.byKey(name).orElseThrow(() -> new ConfigException("unknown setting '" + name + "' (from option --" + name + ")"));
            if (value != null) settings.put(key, new Setting(value.strip(), "option --" + name));
        });
        return settings;
    }

    /** $XDG_DATA_HOME/memdb when XDG_DATA_HOME is an absolute path (XDG Base Directory spec), else ~/.local/share/memdb. */
    Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "memdb");
        return Path.of(userHome, ".local", "share", "memdb");
    }
}
