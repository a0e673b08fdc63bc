package memdb.cli;

import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", aliases = "del", description = {"Delete KEY (exit 1 when it did not exist).",
    "raw and text: OK; json: {\"key\",\"deleted\"}; table: KEY DELETED."})
final class DeleteCommand extends DataCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    protected Reply run(MemDb db, Output output) {
        boolean existed = db.delete(key, consistency.level);
        Map<String, Object> fields = jsonFor(key);
        fields.put("deleted", existed);
        Reply reply = Reply.of(fields).raw("OK");
        return existed ? reply : reply.failure("key '" + key + "' not found", ExitCode.NOT_FOUND);
    }
}
