package memdb.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a config file: {@code key = value} lines, blank lines and lines starting with {@code #} ignored.
 * A line that is not {@code key = value}, an unknown key, or a key given twice refuses the whole file,
 * naming the file and the line.
 */
public final class ConfigFile {
    private ConfigFile() {}

    public static Map<ConfigKey, Setting> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage() + ".");
        }
        return parse(file.toString(), lines);
    }

    /** Parses the lines of the file called {@code fileName} (used in messages). */
    public static Map<ConfigKey, Setting> parse(String fileName, List<String> lines) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String origin = fileName + " line " + (i + 1);
            int equals = line.indexOf('=');
            if (equals < 0) throw new ConfigException("Bad line in " + origin + ": expected \"key = value\".");
            String name = line.substring(0, equals).strip();
            ConfigKey key = ConfigKey.byKey(name)
                    .orElseThrow(() -> new ConfigException("Unknown setting \"" + name + "\" in " + origin + "."));
            if (settings.containsKey(key)) throw new ConfigException("Setting " + name + " is given twice, again in " + origin + ".");
            settings.put(key, new Setting(line.substring(equals + 1).strip(), origin));
        }
        return settings;
    }
}
