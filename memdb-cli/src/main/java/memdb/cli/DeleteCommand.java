package memdb.cli;

import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", aliases = "del", description = "Delete KEY (exit 1 when it did not exist).")
final class DeleteCommand extends DataCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    protected int run(MemDb db, Io io) {
        boolean existed = db.delete(key, consistency);
        if (json()) {
            Map<String, Object> fields = jsonFor(key);
            fields.put("deleted", existed);
            printJson(io, fields);
        } else if (existed) {
            printLine(io, "OK");
        } else {
            io.err().println("memdb: key '" + key + "' not found");
        }
        return existed ? ExitCode.OK : ExitCode.NOT_FOUND;
    }
}
