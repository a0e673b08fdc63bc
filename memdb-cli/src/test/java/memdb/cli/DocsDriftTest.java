package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checked-in man pages and completion script match the live command tree. When a command or option
 * changes, these fail and name the one command that regenerates them ({@link DocsGenerator#REGENERATE}).
 */
class DocsDriftTest {
    static Path repositoryRoot() {
        // Surefire runs in the module directory and sets basedir; the docs live one level up.
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }

    @Test
    void manPageSourcesMatchTheCommandTree() throws IOException {
        Map<String, String> expected = DocsGenerator.manPageSources();
        Map<String, String> checkedIn = readAll(repositoryRoot().resolve(DocsGenerator.MAN_SOURCES), ".adoc");
        if (!expected.keySet().equals(checkedIn.keySet())) {
            fail(stale(DocsGenerator.MAN_SOURCES, "pages expected " + expected.keySet() + " but found " + checkedIn.keySet()));
        }
        expected.forEach((name, text) -> assertSame(DocsGenerator.MAN_SOURCES + "/" + name, text, checkedIn.get(name)));
    }

    @Test
    void completionScriptMatchesTheCommandTree() throws IOException {
        Path script = repositoryRoot().resolve(DocsGenerator.COMPLETION_SCRIPT);
        if (!Files.exists(script)) fail(stale(DocsGenerator.COMPLETION_SCRIPT, "the file is missing"));
        assertSame(DocsGenerator.COMPLETION_SCRIPT, DocsGenerator.completionScript(),
                DocsGenerator.normalize(Files.readString(script, StandardCharsets.UTF_8)));
    }

    @Test
    void everyManPageSourceHasATroffPageListingTheExitCodes() throws IOException {
        Path man = repositoryRoot().resolve("man");
        Set<String> sources = names(readAll(man.resolve("asciidoc"), ".adoc").keySet(), ".adoc");
        Map<String, String> troff = readAll(man, ".1");
        assertEquals(sources, names(troff.keySet(), ".1"), stale("man", "the troff pages do not match the AsciiDoc"));
        troff.forEach((name, text) -> assertTrue(text.contains("Authentication refused"),
                stale("man/" + name, "it does not list the exit codes")));
    }

    private static void assertSame(String file, String expected, String actual) {
        if (expected.equals(actual)) return;
        String[] want = expected.split("\n", -1);
        String[] have = actual.split("\n", -1);
        int line = 0;
        while (line < want.length && line < have.length && want[line].equals(have[line])) line++;
        fail(stale(file, "first difference at line " + (line + 1) + ":\n  expected: "
                + (line < want.length ? want[line] : "<end of file>") + "\n  found:    "
                + (line < have.length ? have[line] : "<end of file>")));
    }

    private static String stale(String file, String detail) {
        return file + " is out of date with the command tree (" + detail + ").\n"
                + "Regenerate the man pages and completions from the repository root with:\n    "
                + DocsGenerator.REGENERATE + "\nand commit man/ and completions/.";
    }

    private static Map<String, String> readAll(Path dir, String suffix) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) return files;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(f -> f.getFileName().toString().endsWith(suffix)).toList()) {
                files.put(file.getFileName().toString(), DocsGenerator.normalize(Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return files;
    }

    private static Set<String> names(Set<String> files, String suffix) {
        return files.stream().map(f -> f.substring(0, f.length() - suffix.length())).collect(Collectors.toCollection(TreeSet::new));
    }
}
