package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultPathIsUnderXdgConfigHomeOrDotConfig() {
        assertEquals(Path.of("/xdg/memdb/auth-key"), AuthKeyFile.defaultPath(Map.of("XDG_CONFIG_HOME", "/xdg"), "/home/ann"));
        assertEquals(Path.of("/home/ann/.config/memdb/auth-key"), AuthKeyFile.defaultPath(Map.of(), "/home/ann"));
        assertEquals(Path.of("/home/ann/.config/memdb/auth-key"), AuthKeyFile.defaultPath(Map.of("XDG_CONFIG_HOME", ""), "/home/ann"));
    }

    @Test
    void readOfAMissingFileIsEmpty() {
        assertEquals(Optional.empty(), AuthKeyFile.read(dir.resolve("none")));
    }

    @Test
    void readOrCreateWritesARandom256BitKeyReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("config").resolve("memdb").resolve("auth-key");
        String key = AuthKeyFile.readOrCreate(file);
        assertTrue(key.matches("[0-9a-f]{64}"), "64 hex digits");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void readOrCreateReusesTheKeyOnceCreated() {
        Path file = dir.resolve("auth-key");
        String first = AuthKeyFile.readOrCreate(file);
        assertEquals(first, AuthKeyFile.readOrCreate(file));
        assertEquals(Optional.of(first), AuthKeyFile.read(file));
        assertNotEquals(first, AuthKeyFile.readOrCreate(dir.resolve("other-auth-key")));
    }

    @Test
    void aKeyWrittenByHandIsReadWithoutSurroundingWhitespace() throws IOException {
        Path file = Files.writeString(dir.resolve("auth-key"), "  my key \n");
        assertEquals(Optional.of("my key"), AuthKeyFile.read(file));
        assertEquals("my key", AuthKeyFile.readOrCreate(file));
    }

    @Test
    void anEmptyKeyFileIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("auth-key"), "\n");
        assertThrows(UncheckedIOException.class, () -> AuthKeyFile.read(file));
        assertThrows(UncheckedIOException.class, () -> AuthKeyFile.readOrCreate(file));
    }
}
