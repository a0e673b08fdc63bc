package memdb.oplog;

import java.nio.file.Path;
import memdb.store.Store;
import org.junit.jupiter.api.io.TempDir;

class FileOpLogContractTest extends OpLogContractTest {
    @TempDir
    Path dir;

    @Override
    OpLog open() throws Exception {
        return FileOpLog.open(dir, Logs.options().withFsync(FsyncPolicy.ALWAYS), new Store());
    }
}
