package memdb.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a config file: {@code key = value} lines, blank lines and lines starting with {@code #} ignored.
 * A line that is not {@code key = value}, an unknown key, a key given twice, or bytes that are not UTF-8
 * refuse the whole file, naming the file and the line; so does a bad value, later, through the line kept in
 * each {@link Setting}'s origin (SettingsReader).
 */
public final class ConfigFile {
    private ConfigFile() {}

    public static Map<ConfigKey, Setting> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + ConfigException.reason(e));
        }
        return parse(file.toString(), decode(file.toString(), bytes).lines().toList());
    }

    /** The file's text: strict UTF-8 (a bad byte is refused naming its line), without a leading byte order mark. */
    static String decode(String fileName, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) line++;
            }
            throw new ConfigException("bad line (from " + fileName + " line " + line + "): expected UTF-8 text");
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses the lines of the file called {@code fileName} (used in messages). */
    public static Map<ConfigKey, Setting> parse(String fileName, List<String> lines) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String origin = fileName + " line " + (i + 1);
            int equals = line.indexOf('=');
            if (equals < 0) throw new ConfigException("bad line (from " + origin + "): expected 'key = value'");
            String name = line.substring(0, equals).strip();
            ConfigKey key = ConfigKey.byKey(name)
                    .orElseThrow(() -> new ConfigException("unknown setting '" + name + "' (from " + origin + ")"));
            if (settings.containsKey(key)) throw new ConfigException("setting " + name + " is given twice (again from " + origin + ")");
            settings.put(key, new Setting(line.substring(equals + 1).strip(), origin));
        }
        return settings;
    }
}
