package memdb.cli.bench;

import java.time.Duration;
import java.util.List;
import memdb.protocol.Consistency;

/**
 * What one {@code memdb bench} run does, validated: which tests, how many requests each, how many
 * concurrent clients with how deep a pipeline, value size, key space, consistency, and the limits
 * that bound the run.
 *
 * <p>Invariants (checked by the constructor, IllegalArgumentException with the reason otherwise):
 * at least one test; 1 <= requests <= {@link #REQUESTS_MAX}; 1 <= clients <= {@link #CLIENTS_MAX};
 * 1 <= pipeline <= {@link #PIPELINE_MAX}; clients * pipeline <= {@link #IN_FLIGHT_MAX} (the client's
 * queue per connection); 0 <= valueBytes <= {@link #VALUE_BYTES_MAX} (the node's default limit);
 * keyspace 0 (one key) or positive; a positive time limit and request timeout; a duration of zero (none)
 * or one whose total over the tests, with the bound of each test's automatic warm-up, fits in the time limit; 1 <= connections <= {@link #CONNECTIONS_MAX} and at most clients.
 *
 * @param warmup   how each test warms up before it is measured ({@link Warmup}: none, N requests, or until the
 *                 JIT compiler has settled), so that both JVMs run compiled code during the measured requests
 * @param keyspace 0: every request uses the one key {@code key:000000000000} (as redis-benchmark
 *                 without -r); otherwise keys {@code key:%012d} drawn uniformly from [0, keyspace)
 *                 by a generator seeded from {@code seed} and the client's index
 * @param duration how long each test sends (then it is complete, whatever {@code requests} says, which
 *                 stays a cap); zero: each test sends {@code requests}
 * @param connections client connections to each node, on the client's one event loop, taken in turn by requests
 */
public record BenchPlan(List<BenchTest> tests, long requests, int clients, int pipeline, int valueBytes,
                        long keyspace, Consistency consistency, long seed, Warmup warmup, Duration timeLimit,
                        Duration requestTimeout, Duration duration, int connections) {
    public static final long REQUESTS_MAX = 1_000_000_000L;
    public static final int CLIENTS_MAX = 10_000;
    public static final int PIPELINE_MAX = 1_000;
    public static final int IN_FLIGHT_MAX = 65_536;
    public static final int VALUE_BYTES_MAX = 1024 * 1024;
    public static final long TIME_LIMIT_S_MAX = 86_400;
    public static final int CONNECTIONS_MAX = 10_000;

    public BenchPlan {
        tests = List.copyOf(tests);
        check(!tests.isEmpty(), "-t names no test");
        check(requests >= 1 && requests <= REQUESTS_MAX, "-n must be between 1 and " + REQUESTS_MAX);
        check(clients >= 1 && clients <= CLIENTS_MAX, "-c must be between 1 and " + CLIENTS_MAX);
        check(pipeline >= 1 && pipeline <= PIPELINE_MAX, "-P must be between 1 and " + PIPELINE_MAX);
        check((long) clients * pipeline <= IN_FLIGHT_MAX,
                "-c times -P must be at most " + IN_FLIGHT_MAX + " requests in flight");
        check(valueBytes >= 0 && valueBytes <= VALUE_BYTES_MAX, "-d must be between 0 and " + VALUE_BYTES_MAX + " bytes");
        check(warmup != null, "a warm-up is required (Warmup.NONE for none)");
        check(keyspace >= 0, "-r must be positive (or 0 for a single key)");
        check(consistency != null, "a consistency is required");
        check(!timeLimit.isNegative() && !timeLimit.isZero() && timeLimit.toSeconds() <= TIME_LIMIT_S_MAX,
                "--time-limit-s must be between 1 and " + TIME_LIMIT_S_MAX);
        check(!requestTimeout.isNegative() && !requestTimeout.isZero(), "--timeout-ms must be positive");
        check(!duration.isNegative() && (duration.isZero() || duration.plus(warmup.untilJitSettles() ? Warmup.AUTO_TIME_MAX : Duration.ZERO)
                        .multipliedBy(tests.size()).compareTo(timeLimit) <= 0),
                "--duration times the number of tests (plus " + Warmup.AUTO_TIME_MAX.toSeconds()
                        + " s of warm-up each with --warmup auto) must fit in --time-limit-s");
        check(connections >= 1 && connections <= Math.min(CONNECTIONS_MAX, clients),
                "--connections must be between 1 and -c (at most " + CONNECTIONS_MAX + ")");
    }

    /** A plan bounded by its request count, on one connection. */
    public BenchPlan(List<BenchTest> tests, long requests, int clients, int pipeline, int valueBytes,
                     long keyspace, Consistency consistency, long seed, Warmup warmup, Duration timeLimit,
                     Duration requestTimeout) {
        this(tests, requests, clients, pipeline, valueBytes, keyspace, consistency, seed, warmup, timeLimit,
                requestTimeout, Duration.ZERO, 1);
    }

    /** This plan with another request count and no duration (the warm-up of a test runs as a plan of its own). */
    public BenchPlan withRequests(long requestCount) {
        return new BenchPlan(tests, requestCount, clients, pipeline, valueBytes, keyspace, consistency, seed,
                warmup, timeLimit, requestTimeout, Duration.ZERO, connections);
    }

    /** Requests one test keeps in flight at most. */
    public int inFlightMax() {
        return clients * pipeline;
    }

    private static void check(boolean condition, String reason) {
        if (!condition) throw new IllegalArgumentException(reason);
    }
}
