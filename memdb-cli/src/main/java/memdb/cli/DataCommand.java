package memdb.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import memdb.client.MemDb;
import memdb.protocol.MemDbException;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ConsistencyOption consistency;

    @Override
    public final Integer call() {
        return withClient(root, client, (db, output) -> output.print(run(db, output)));
    }

    /**
     * Runs {@code operation} with a client from the session and the output format asked for, telling the
     * session whether the node was reached (the REPL's prompt says when it was not); returns the exit code.
     * For commands shaped otherwise (subcommands such as {@code counter incr}).
     */
    static int withClient(MemdbCommand root, ClientOptions client, BiFunction<MemDb, Output, Integer> operation) {
        Io io = root.io();
        Output output = Output.of(client, io);
        Session session = root.session();
        try (Session.Lease lease = session.connect(client, io)) {
            int exitCode = operation.apply(lease.db(), output);
            session.observed(true);
            return exitCode;
        } catch (MemDbException e) {
            session.observed(ExitCode.of(e) != ExitCode.UNAVAILABLE);
            throw e;
        }
    }

    /**
     * Runs the operation and returns its reply; {@code output} says the format (for fields only JSON
     * needs, such as a value).
     */
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
