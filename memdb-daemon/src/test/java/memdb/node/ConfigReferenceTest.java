package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The config file reference in docs/operations.md cannot drift from the code: its table must list every
 * {@link ConfigKey}, in order, with the environment variable, the default the resolver really uses and
 * whether the key changes live — each generated here from the code. The last column (what the key
 * means) is the doc's own. On failure the message holds the rows as they should start.
 */
class ConfigReferenceTest {
    static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    static final String BEGIN = "<!-- config-reference:begin (checked by ConfigReferenceTest) -->";
    static final String END = "<!-- config-reference:end -->";

    /** The first four cells of each row, generated from the code. */
    static List<String> expectedRows() {
        ServerConfig defaults = new ConfigResolver(null, "/home/ann").resolve(Map.of(), Map.of(), null);
        List<String> rows = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            rows.add("| `" + key.key() + "` | `" + key.environmentVariable() + "` | " + defaultText(defaults, key) + " | "
                    + (key.live() ? "live" : "restart") + " |");
        }
        return rows;
    }

    private static String defaultText(ServerConfig defaults, ConfigKey key) {
        return switch (key) {
            case DATA_DIR -> "`$XDG_DATA_HOME/memdb`, else `~/.local/share/memdb`";
            case AUTH_KEY -> "generated once into `~/.config/memdb/auth-key`";
            case SEEDS -> "(none)";
            case MAX_MEMORY -> "half the JVM's max heap (`-Xmx`)";
            default -> "`" + ConfigValues.shown(defaults, key) + "`";
        };
    }

    /** The doc's rows between the markers, each cut after its fourth cell. */
    static List<String> documentedRows() throws IOException {
        String text = Files.readString(OPERATIONS, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) throw new AssertionError(OPERATIONS + " lacks the markers " + BEGIN + " ... " + END);
        List<String> rows = new ArrayList<>();
        for (String line : text.substring(begin + BEGIN.length(), end).strip().split("\n")) {
            if (!line.startsWith("| `")) continue; // the header and the separator
            int cut = nthIndexOf(line, '|', 5);
            rows.add(cut < 0 ? line : line.substring(0, cut + 1));
        }
        return rows;
    }

    private static int nthIndexOf(String text, char c, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = text.indexOf(c, at + 1);
            if (at < 0) return -1;
        }
        return at;
    }

    @Test
    void theOperationsGuideListsEveryKeyWithItsRealDefaultEnvironmentVariableAndReloadKind() throws IOException {
        List<String> expected = expectedRows();
        assertEquals(String.join("\n", expected), String.join("\n", documentedRows()),
                "docs/operations.md's config reference differs from ConfigKey; its rows must start as above "
                        + "(then a last cell: what the key means)");
    }
}
