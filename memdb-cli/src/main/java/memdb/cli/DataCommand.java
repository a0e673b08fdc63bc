package memdb.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import memdb.client.MemDb;
import memdb.protocol.Consistency;
import memdb.protocol.MemDbException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The shape of every data command: get a client from the session (its own in a one-shot run, the REPL's
 * shared one in the REPL), run one operation, print its {@link Reply} in the format asked for, return the
 * exit code. Errors are thrown and reported by {@link Main}.
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
        Output output = Output.of(client, io);
        Session session = root.session();
        try (Session.Lease lease = session.connect(client, io)) {
            Reply reply = run(lease.db(), output);
            session.observed(true);
            return output.print(reply);
        } catch (MemDbException e) {
            session.observed(ExitCode.of(e) != ExitCode.UNAVAILABLE);
            throw e;
        }
    }

    /** Runs the operation; {@code output} says the format (for fields only JSON needs, such as a value). */
    protected abstract Reply run(MemDb db, Output output);

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
}
