package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOpenerAndTheOfflineToolsAreRefusedWhileTheLogIsOpen() throws Exception {
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            LogLockedException e = assertThrows(LogLockedException.class, () -> FileOpLog.open(dir, Logs.options(), new Store()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(dir, e.dir());
            assertThrows(LogLockedException.class, () -> Compaction.offline(dir, null, true, false));
            assertThrows(LogLockedException.class, () -> Compaction.offline(dir, null, true, true));
            assertTrue(Files.readString(dir.resolve("LOCK")).strip().equals(Long.toString(ProcessHandle.current().pid())));
        }
        FileOpLog.open(dir, Logs.options(), new Store()).close(); // released on close
        Compaction.offline(dir, null, true, false);
    }
}
