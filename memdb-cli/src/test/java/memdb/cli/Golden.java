package memdb.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the expected output of commands, checked in under src/test/resources/golden and compared
 * exactly. After an intended change of output, regenerate them with {@code -Dmemdb.golden.update=true}
 * and review the diff.
 */
final class Golden {
    private static final String UPDATE = "memdb.golden.update";

    private Golden() {}

    static Path file(String name) {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        return module.resolve("src/test/resources/golden").resolve(name + ".txt");
    }

    static void assertMatches(String name, String actual) {
        Path file = file(name);
        try {
            if (Boolean.getBoolean(UPDATE)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) fail(file + " is missing; create it with -D" + UPDATE + "=true");
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (expected.equals(actual)) return;
            String[] want = expected.split("\n", -1);
            String[] have = actual.split("\n", -1);
            int line = 0;
            while (line < want.length && line < have.length && want[line].equals(have[line])) line++;
            fail(file + " differs at line " + (line + 1) + ":\n  expected: " + (line < want.length ? want[line] : "<end>")
                    + "\n  actual:   " + (line < have.length ? have[line] : "<end>")
                    + "\n(an intended change? regenerate with -D" + UPDATE + "=true)\nactual output:\n" + actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A transcript of commands and what each printed, readable as a golden file. */
    static final class Transcript {
        private final StringBuilder text = new StringBuilder();

        Cli.Result run(Cli cli, String label, String... args) {
            Cli.Result result = cli.run(args);
            text.append("$ ").append(label.isEmpty() ? "" : "[" + label + "] ").append("memdb ")
                    .append(String.join(" ", args)).append('\n');
            text.append(visible(result.stdoutBytes()));
            if (result.stdoutBytes().length > 0 && result.stdoutBytes()[result.stdoutBytes().length - 1] != '\n') {
                text.append("<no newline>\n");
            }
            result.stderr().lines().forEach(line -> text.append("stderr| ").append(visible(line)).append('\n'));
            text.append("[exit ").append(result.exitCode()).append("]\n\n");
            return result;
        }

        Transcript append(String section) {
            text.append(section);
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }

        /** Real control bytes as <ESC> and <xx> (so that a command's own escaping, \\x1b, stays visible as such). */
        private static String visible(byte[] bytes) {
            var text = Values.utf8(bytes);
            if (text.isPresent()) return visible(text.get());
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) out.append(b >= 0x20 || b == (byte) 10 ? String.valueOf((char) b) : b == 0x1b ? "<ESC>" : hex(b & 0xFF));
            return out.toString();
        }

        private static String visible(String text) {
            StringBuilder out = new StringBuilder();
            for (char c : text.toCharArray()) {
                if (c == '\033') out.append("<ESC>");
                else if (c < 0x20 && c != '\n') out.append(hex(c));
                else out.append(c);
            }
            return out.toString();
        }

        private static String hex(int b) {
            return String.format("<%02x>", b);
        }
    }
}
