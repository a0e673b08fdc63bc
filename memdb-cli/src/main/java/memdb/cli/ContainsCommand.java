package memdb.cli;

import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "contains", aliases = "exists", description = "Print true if KEY holds a value, else false (exit 1).")
final class ContainsCommand extends DataCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    protected int run(MemDb db, Io io) {
        boolean present = db.contains(key, consistency);
        if (json()) {
            Map<String, Object> fields = jsonFor(key);
            fields.put("contains", present);
            printJson(io, fields);
        } else {
            printLine(io, Boolean.toString(present));
        }
        return present ? ExitCode.OK : ExitCode.NOT_FOUND;
    }
}
