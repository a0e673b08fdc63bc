package memdb.cli.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The REPL's history: {@code $MEMDB_HISTFILE}, else {@code $XDG_STATE_HOME/memdb/history}, else
 * {@code ~/.local/state/memdb/history}; {@code /dev/null} keeps no history on disk. The file is created
 * with mode 0600 (its directory 0700) and kept so after every save. A line that carries an auth key
 * ({@code -a}, {@code --auth-key}) is never recorded, in the file or in memory.
 */
public final class History extends DefaultHistory {
    private static final String DISABLED = "/dev/null";

    private final Path file;

    History(Path file) {
        this.file = file;
    }

    /** The history file for this environment, or empty when history on disk is disabled. */
    public static Optional<Path> file(Map<String, String> env) {
        String explicit = env.get("MEMDB_HISTFILE");
        if (explicit != null && !explicit.isEmpty()) {
            return explicit.equals(DISABLED) ? Optional.empty() : Optional.of(Path.of(explicit));
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() ? Path.of(state) : Path.of(env.getOrDefault("HOME",
                System.getProperty("user.home")), ".local", "state");
        return Optional.of(base.resolve("memdb").resolve("history"));
    }

    /** True when the words of a line name the auth key (so the line must not be remembered). */
    public static boolean carriesAuthKey(List<String> words) {
        for (String word : words) {
            if (word.equals("-a") || word.startsWith("--auth-key")) return true;
            // -a clustered with its value (-aKEY), as picocli accepts it
            if (word.startsWith("-a") && !word.startsWith("--")) return true;
        }
        return false;
    }

    /** Creates the file (and directory) owner-only before JLine first writes to it. */
    static void prepare(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        restrict(file);
    }

    private static void restrict(Path file) throws IOException {
        if (Files.isRegularFile(file)) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @Override
    public void add(Instant time, String line) {
        List<String> words;
        try {
            words = Words.split(line);
        } catch (IllegalArgumentException unparsable) {
            words = List.of(line.split("\\s+"));
        }
        if (!carriesAuthKey(words)) super.add(time, line);
    }

    @Override
    public void save() throws IOException {
        super.save();
        if (file != null) restrict(file);
    }
}
