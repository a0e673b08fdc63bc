package memdb.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import memdb.client.CounterQuorumResponse;
import memdb.client.MemDb;
import memdb.protocol.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb counter incr|decr|get}: distributed counters (PN-counters, DESIGN §6). Each prints the
 * counter's value in the format asked for (raw and text: the number; table: KEY VALUE; json: an object);
 * a key that holds a value is a usage error (exit 2, WRONG_TYPE).
 */
@Command(name = "counter", description = "Increment, decrement or read a distributed counter.",
        subcommands = {CounterCommand.Incr.class, CounterCommand.Decr.class, CounterCommand.Get.class})
final class CounterCommand extends CommandGroup {

    /** What every counter subcommand shares: the client options, the level, and printing the value. */
    abstract static class CounterOperation implements Callable<Integer> {
        @ParentCommand
        CounterCommand counter;

        @Mixin
        ClientOptions client;

        @Mixin
        ConsistencyOption consistency;

        @Parameters(index = "0", paramLabel = "KEY", description = "The counter's key.")
        String key;

        @Override
        public final Integer call() {
            return DataCommand.withClient(counter.root, client, (db, output) -> {
                long value = run(db);
                Map<String, Object> fields = DataCommand.jsonFor(key);
                fields.put("value", value);
                return output.print(Reply.of(fields).raw(Long.toString(value)));
            });
        }

        abstract long run(MemDb db);
    }

    @Command(name = "incr", description = "Add BY (default 1; may be negative) to the counter KEY and print its value.")
    static final class Incr extends CounterOperation {
        @Parameters(index = "1", paramLabel = "BY", arity = "0..1", defaultValue = "1",
                description = "How much to add: any 64-bit integer (default 1).")
        long by;

        @Override
        long run(MemDb db) {
            return db.increment(key, by, consistency.level);
        }
    }

    @Command(name = "decr", description = "Subtract BY (default 1) from the counter KEY and print its value.")
    static final class Decr extends CounterOperation {
        @Parameters(index = "1", paramLabel = "BY", arity = "0..1", defaultValue = "1",
                description = "How much to subtract: any 64-bit integer but the smallest (default 1).")
        long by;

        @Override
        long run(MemDb db) {
            if (by == Long.MIN_VALUE) throw new UserError(ExitCode.USAGE, "cannot decrement by " + by + "; use incr");
            return db.increment(key, -by, consistency.level);
        }
    }

    @Command(name = "get", description = "Print the value of the counter KEY (0 when it was never incremented).")
    static final class Get extends CounterOperation {
        @Option(names = "--quorum", paramLabel = "N",
                description = "Ask the key's replicas directly and merge the first N answers.")
        Integer quorum;

        @Override
        long run(MemDb db) {
            consistency.refuseWithQuorum(quorum);
            if (quorum == null) return db.getCounter(key, consistency.level);
            CounterQuorumResponse response = db.getQuorumCounter(key);
            if (quorum < 1 || quorum > response.replicaCount()) {
                throw new UserError(ExitCode.USAGE, "--quorum must be 1.." + response.replicaCount() + " (the key's replicas)");
            }
            long timeoutMs = client.timeoutMs();
            return response.await(quorum, timeoutMs, TimeUnit.MILLISECONDS)
                    .orElseThrow(() -> ErrorCode.UNAVAILABLE.exception("fewer than " + quorum + " of the key's "
                            + response.replicaCount() + " replicas answered within " + timeoutMs + " ms"))
                    .mostUptoDateResponseAsLong();
        }
    }
}
