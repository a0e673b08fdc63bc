package memdb.cli;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import memdb.client.MemDb;
import memdb.protocol.Consistency;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The shape of every data command: connect with the client options, run one operation, print its
 * result as text or JSON, return the exit code. Errors are thrown and reported by {@link Main}.
 */
abstract class DataCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Mixin
    ClientOptions client;

    @Option(names = "--consistency", paramLabel = "LEVEL",
            description = "ONE, QUORUM or ALL (default: the node's; writes QUORUM, reads ONE).")
    Consistency consistency = Consistency.DEFAULT;

    @Override
    public final Integer call() {
        Io io = root.io();
        try (MemDb db = client.connect(io)) {
            return run(db, io);
        }
    }

    protected abstract int run(MemDb db, Io io);

    protected boolean json() {
        return client.json;
    }

    protected static void printLine(Io io, String text) {
        io.out().print(text);
        io.out().print('\n');
        io.out().flush();
    }

    /** The start of a command's JSON object: the key it was about. */
    protected static Map<String, Object> jsonFor(String key) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("key", key);
        return fields;
    }

    protected static void printJson(Io io, Map<String, Object> fields) {
        printLine(io, Json.write(fields));
    }

    protected static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
