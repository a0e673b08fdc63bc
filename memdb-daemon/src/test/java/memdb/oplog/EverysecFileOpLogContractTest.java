package memdb.oplog;

import java.nio.file.Path;
import memdb.store.Store;
import org.junit.jupiter.api.io.TempDir;

/** The contract again under everysec, where the core thread writes its own commits (FileOpLog#commit). */
class EverysecFileOpLogContractTest extends OpLogContractTest {
    @TempDir
    Path dir;

    @Override
    OpLog open() throws Exception {
        return FileOpLog.open(dir, Logs.options().withFsync(FsyncPolicy.EVERYSEC), new Store());
    }
}
