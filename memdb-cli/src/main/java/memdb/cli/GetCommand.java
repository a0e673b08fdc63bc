package memdb.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Print the value of KEY and a newline (exit 1 when absent).")
final class GetCommand extends DataCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    protected int run(MemDb db, Io io) {
        byte[] value = db.getBytes(key, consistency);
        if (json()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("key", key);
            fields.put("found", value != null);
            if (value != null) Json.putValue(fields, value);
            printJson(io, fields);
        } else if (value != null) {
            io.out().write(value, 0, value.length);
            printLine(io, "");
        } else {
            io.err().println("memdb: key '" + key + "' not found");
        }
        return value != null ? ExitCode.OK : ExitCode.NOT_FOUND;
    }
}
