package memdb.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set", description = {"Set KEY to VALUE; with '-' or no VALUE, the value is read from standard input.",
    "raw and text: OK; json: {\"key\",\"ok\",\"bytes\"}; table: KEY OK BYTES."})
final class SetCommand extends DataCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1",
            description = "The value; '-' or nothing reads it from standard input (byte for byte); "
                    + "a value that begins with '-' goes after --: memdb set KEY -- -VALUE.")
    String value;

    @Override
    protected Reply run(MemDb db, Output output) {
        byte[] bytes = value == null || value.equals("-") ? readStdin(root.io()) : value.getBytes(StandardCharsets.UTF_8);
        db.set(key, bytes, consistency.level);
        Map<String, Object> fields = jsonFor(key);
        fields.put("ok", true);
        fields.put("bytes", bytes.length);
        return Reply.of(fields).raw("OK");
    }

    /** The value from stdin; on a terminal, says so first (a person would otherwise see a command that hangs). */
    private static byte[] readStdin(Io io) {
        if (io.ttys().in()) io.err().println("memdb: reading the value from standard input; end it with Ctrl-D");
        try {
            return io.in().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the value from standard input", e);
        }
    }
}
