package memdb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates the checked-in documentation from the live command tree ({@link Main#commandLine}):
 * {@code man/asciidoc/*.adoc} (picocli's ManPageGenerator; the {@code -Pdocs} profile then turns them
 * into {@code man/*.1} with Asciidoctor) and {@code completions/memdb.bash} (picocli's AutoComplete).
 * {@link DocsDriftTest} regenerates both in memory and fails if the checked-in files differ.
 *
 * <p>Lives in the tests so that picocli-codegen never reaches the shaded jar.
 */
public final class DocsGenerator {
    /** The one command that regenerates man/ and completions/. */
    static final String REGENERATE = "mvn -B -Pdocs -pl memdb-cli -am package -DskipTests";

    static final String MAN_SOURCES = "man/asciidoc";
    static final String COMPLETION_SCRIPT = "completions/memdb.bash";
    private static final int SYNOPSIS_WIDTH = 1000;

    private DocsGenerator() {}

    /** Usage: DocsGenerator REPOSITORY_ROOT. Replaces man/asciidoc/*.adoc, man/*.1 and completions/memdb.bash. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: DocsGenerator REPOSITORY_ROOT");
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Path manSources = root.resolve(MAN_SOURCES);
        deleteMatching(manSources, ".adoc");
        deleteMatching(root.resolve("man"), ".1"); // Asciidoctor rewrites them; a removed command loses its page
        manPageSources().forEach((name, text) -> write(manSources.resolve(name), text));
        write(root.resolve(COMPLETION_SCRIPT), completionScript());
        System.out.println("DocsGenerator: wrote " + manSources + " and " + root.resolve(COMPLETION_SCRIPT));
    }

    /** The command tree, built as the shell builds it, with no environment so nothing local leaks in. */
    static CommandLine commandTree() {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine tree = Main.commandLine(new Io(InputStream.nullInputStream(), discard, discard, Map.of()));
        // One synopsis line per page: picocli wraps at 80 columns, even inside a label like H:P[,H:P...],
        // and AsciiDoc then reads the broken label as markup. man wraps the line itself.
        tree.setUsageHelpWidth(SYNOPSIS_WIDTH);
        return tree;
    }

    /** File name (memdb.adoc, memdb-get.adoc, ...) to AsciiDoc text, one page per non-hidden command. */
    static Map<String, String> manPageSources() throws IOException {
        Path scratch = Files.createTempDirectory("memdb-man");
        try {
            int result = ManPageGenerator.generateManPage(scratch.toFile(), null, new boolean[0], true,
                    commandTree().getCommandSpec());
            if (result != 0) throw new IllegalStateException("ManPageGenerator failed with exit code " + result);
            Map<String, String> pages = new TreeMap<>();
            try (Stream<Path> files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    pages.put(file.getFileName().toString(), escapeBrackets(normalize(Files.readString(file))));
                }
            }
            return pages;
        } finally {
            deleteMatching(scratch, "");
            Files.deleteIfExists(scratch);
        }
    }

    /** picocli's bash completion script, under a header that says where it comes from and how to use it. */
    static String completionScript() {
        String script = normalize(AutoComplete.bash("memdb", commandTree()));
        String header = """
                # memdb command-line completion: GENERATED from the picocli command tree, do not edit.
                # Regenerate with: %s
                #
                # bash:  source completions/memdb.bash   (or copy it to /etc/bash_completion.d/memdb)
                # zsh:   autoload -U +X compinit && compinit
                #        autoload -U +X bashcompinit && bashcompinit
                #        source completions/memdb.bash
                """.formatted(REGENERATE);
        if (script.startsWith("#!")) {
            int endOfShebang = script.indexOf('\n') + 1;
            return script.substring(0, endOfShebang) + header + script.substring(endOfShebang);
        }
        return header + script;
    }

    /**
     * Wraps an emphasized parameter label that holds brackets (_H:P[,H:P...]_) in an AsciiDoc passthrough:
     * unescaped, Asciidoctor reads {@code H:P[...]} as an inline macro and swallows the synopsis around it.
     */
    static String escapeBrackets(String asciiDoc) {
        return asciiDoc.replaceAll("_([^_\\s+]*\\[[^_\\s+]*)_", "_++$1++_");
    }

    static String normalize(String text) {
        return text.replace("\r\n", "\n");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteMatching(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file) && file.getFileName().toString().endsWith(suffix)) Files.delete(file);
            }
        }
    }
}
