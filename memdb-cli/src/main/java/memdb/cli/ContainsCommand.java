package memdb.cli;

import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "contains", aliases = "exists", description = {"Print true if KEY holds a value, else false (exit 1).",
    "raw and text: true or false; json: {\"key\",\"contains\"}; table: KEY CONTAINS."})
final class ContainsCommand extends DataCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    protected Reply run(MemDb db, Output output) {
        boolean present = db.contains(key, consistency.level);
        Map<String, Object> fields = jsonFor(key);
        fields.put("contains", present);
        return Reply.of(fields).raw(Boolean.toString(present)).exitCode(present ? ExitCode.OK : ExitCode.NOT_FOUND);
    }
}
