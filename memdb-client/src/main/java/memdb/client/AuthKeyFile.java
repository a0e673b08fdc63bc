package memdb.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's auth key kept in the user's config directory ({@code $XDG_CONFIG_HOME/memdb/auth-key},
 * else {@code ~/.config/memdb/auth-key}), so that a node started without a key and the CLI on the same
 * machine share one without anyone typing it.
 *
 * <p>Invariants: the file is created readable by its owner only (0600, in a 0700 directory) and appears
 * whole or not at all (written to a private temporary file, then hard-linked into place, which fails
 * rather than replaces when another process won the race). The key is never printed or logged.
 */
public final class AuthKeyFile {
    /** Random bytes in a generated key (256 bits), written as 64 hex digits. */
    public static final int KEY_BYTES = 32;

    private AuthKeyFile() {}

    public static Path defaultPath() {
        return defaultPath(System.getenv(), System.getProperty("user.home"));
    }

    /** The default location for the given environment and home directory. */
    public static Path defaultPath(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path configHome = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(userHome, ".config");
        return configHome.resolve("memdb").resolve("auth-key");
    }

    /**
     * The key in {@code file} (surrounding whitespace removed), or empty when the file does not exist.
     *
     * @throws UncheckedIOException when the file exists but cannot be read or holds no key
     */
    public static Optional<String> read(Path file) {
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) throw new IOException("auth key file " + file + " is empty");
            return Optional.of(key);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The key in {@code file}; when there is none, a new random key written there first. */
    public static String readOrCreate(Path file) {
        Optional<String> existing = read(file);
        if (existing.isPresent()) return existing.get();
        try {
            return create(file);
        } catch (FileAlreadyExistsException e) {
            return read(file).orElseThrow(() -> new UncheckedIOException(e));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create auth key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, ownerOnly(dir, "rwx------"));
        String key = newKey();
        Path temporary = Files.createTempFile(dir, ".auth-key", ".tmp", ownerOnly(dir, "rw-------"));
        try {
            Files.writeString(temporary, key + "\n", StandardCharsets.UTF_8);
            Files.createLink(file, temporary);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return key;
    }

    private static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Permissions set at creation on POSIX file systems; none elsewhere (no FileAttribute is accepted there). */
    private static FileAttribute<?>[] ownerOnly(Path where, String permissions) {
        if (!where.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
