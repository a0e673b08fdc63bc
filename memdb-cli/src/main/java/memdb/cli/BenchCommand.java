package memdb.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import memdb.cli.bench.Bench;
import memdb.cli.bench.BenchPlan;
import memdb.cli.bench.BenchReport;
import memdb.cli.bench.BenchTest;
import memdb.cli.bench.TestResult;
import memdb.cli.bench.Warmup;
import memdb.client.MemDb;
import memdb.protocol.Consistency;
import memdb.protocol.MemDbException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb bench}: a load generator in the manner of redis-benchmark. All clients share one
 * pipelined, ring-aware MemDb client (one connection per node; {@code --connections N}: N of them on the
 * client's one event loop, taken in turn by the requests): a client is a logical stream that keeps {@code -P} requests in flight and
 * sends its next request when one is answered, so the {@code -c} clients are concurrent without a thread
 * each. {@code --duration S} makes each test run for S seconds instead of {@code -n} requests.
 */
@Command(name = "bench", sortOptions = false,
        description = {"Measure throughput and latency of a node or cluster, like redis-benchmark.",
            "All clients share one pipelined connection per node; each keeps -P requests in flight.",
            "Without -r every request uses the one key key:000000000000 (as redis-benchmark does).",
            "text, table and raw: the report as columns, a row per test as it ends; json: one object at the end; --csv: CSV."})
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Mixin
    ClientOptions client;

    @Option(names = "-t", paramLabel = "TESTS", defaultValue = "set,get,contains,quorum-get,delete",
            description = "Comma list of tests: set, get, contains, quorum-get, delete, incr, cas (default ${DEFAULT-VALUE}).")
    String tests;

    @Option(names = "-n", paramLabel = "N",
            description = "Requests per test (default 100000; with --duration: a cap, default none).")
    Long requests;

    @Option(names = "-c", paramLabel = "N", defaultValue = "50", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "-d", paramLabel = "BYTES", defaultValue = "3", description = "Value size of set (default ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "-P", paramLabel = "N", defaultValue = "1", description = "Requests in flight per client (default ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "-r", paramLabel = "KEYS", defaultValue = "0",
            description = "Random keys key:%%012d among this many (default 0: the single key key:000000000000).")
    long keyspace;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the key generators (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warmup", paramLabel = "auto|N", defaultValue = "auto",
            description = "Warm-up of each test, sent first and not measured: auto = until the JIT compiler has settled "
                    + "(at most 10 s and 10 times -n requests), N = N requests, 0 = none (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--consistency", paramLabel = "LEVEL", completionCandidates = Candidates.Consistencies.class,
            description = "ONE, QUORUM or ALL (default: the node's; writes QUORUM, reads ONE). quorum-get always waits for a majority.")
    Consistency consistency = Consistency.DEFAULT;

    @Option(names = "--time-limit-s", paramLabel = "S", defaultValue = "300",
            description = "Stop the whole run after this many seconds and report what was done (default ${DEFAULT-VALUE}).")
    long timeLimitS;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "0",
            description = "Run each test for this many seconds instead of -n requests (default 0: off); "
                    + "--time-limit-s must cover all tests and their warm-ups.")
    long durationS;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "1",
            description = "Open N connections to each node (on the client's one I/O thread); requests take them in turn (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--csv", description = "Print CSV: a header line, then one line per test.")
    boolean csv;

    /** The validated plan, or a usage error naming the bad option. */
    BenchPlan plan() {
        if (csv && client.format(root.io()) == OutputFormat.JSON) {
            throw new UserError(ExitCode.USAGE, "--csv and --json cannot be combined");
        }
        if (client.timeoutMs <= 0) throw new UserError(ExitCode.USAGE, "--timeout-ms must be positive");
        if (timeLimitS <= 0 || timeLimitS > BenchPlan.TIME_LIMIT_S_MAX) {
            throw new UserError(ExitCode.USAGE, "--time-limit-s must be between 1 and " + BenchPlan.TIME_LIMIT_S_MAX);
        }
        if (durationS < 0 || durationS > BenchPlan.TIME_LIMIT_S_MAX) {
            throw new UserError(ExitCode.USAGE, "--duration must be between 0 and " + BenchPlan.TIME_LIMIT_S_MAX);
        }
        long requestCount = requests != null ? requests : durationS > 0 ? BenchPlan.REQUESTS_MAX : 100_000;
        try {
            return new BenchPlan(BenchTest.parseList(tests), requestCount, clients, pipeline, valueBytes, keyspace,
                    consistency, seed, Warmup.parse(warmup), Duration.ofSeconds(timeLimitS), Duration.ofMillis(client.timeoutMs),
                    Duration.ofSeconds(durationS), connections);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Io io = root.io();
        BenchPlan plan = plan();
        List<String> seeds = client.seedList(io);
        boolean json = client.format(io) == OutputFormat.JSON;
        MemDb pooled = plan.connections() > 1 ? client.connect(io, plan.connections()) : null;
        try (Session.Lease lease = pooled == null ? root.session().connect(client, io) : null) {
            MemDb db = pooled != null ? pooled : lease.db();
            // One request first, so that an unreachable node or a refused key is the usual one-sentence error.
            db.contains("key:000000000000", plan.consistency());
            if (csv) DataCommand.printLine(io, BenchReport.CSV_HEADER);
            else if (!json) DataCommand.printLine(io, BenchReport.textHeader(plan, seeds));
            boolean terminal = io.ttys().err();
            List<TestResult> results = new Bench(db, plan, terminal ? io.err() : null).run((result, firstError) -> {
                if (csv) DataCommand.printLine(io, BenchReport.csvRow(result));
                else if (!json) DataCommand.printLine(io, BenchReport.textRow(result));
                if (firstError != null) Output.error(io, result.test() + ": " + result.errors()
                        + " requests failed; the first: " + describe(firstError));
            });
            if (json) DataCommand.printLine(io, BenchReport.json(plan, seeds, results));
            if (results.size() < plan.tests().size() || !results.get(results.size() - 1).complete()) {
                Output.error(io, "bench stopped by --time-limit-s " + timeLimitS + " before every request was sent");
            }
            return ExitCode.OK;
        } finally {
            if (pooled != null) pooled.close();
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof MemDbException) && cause.getCause() != null) cause = cause.getCause();
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
