package memdb.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Client requests answered by this node, per operation: counts by outcome and a latency histogram.
 * Thread-safe; each operation's figures are guarded by its own lock, taken once per {@link #record} and once
 * per run of one operation in {@link #recordAll} (the core loop records a whole batch of replies at a time,
 * so under load a reply costs a few plain increments, not atomic operations of its own).
 *
 * <p>Limits: about {@link #OPERATIONS_MAX} distinct operation names (later ones count as
 * {@link #OTHER}; threads racing on new names may add a few more, never unboundedly many); latencies are kept in microseconds, 2 significant digits (1% error), from 1 µs to
 * {@link #LATENCY_US_MAX} (longer ones count as that). Quantiles cover the whole life of the node.
 */
public final class RequestMetrics {
    public static final int OPERATIONS_MAX = 64;
    public static final String OTHER = "other";
    public static final long LATENCY_US_MAX = 60_000_000;
    private static final int SIGNIFICANT_DIGITS = 2;

    /** One operation's figures at a snapshot; latencies in seconds. */
    public record OperationStats(String op, long ok, long errors, long latencyCount, double latencySumSeconds,
                                 double p50Seconds, double p99Seconds, double p999Seconds) {}

    /** Guarded by itself. */
    private static final class Operation {
        long ok;
        long errors;
        long latencyNanosSum;
        final Histogram latenciesUs = new Histogram(1, LATENCY_US_MAX, SIGNIFICANT_DIGITS);

        /** With this operation's lock held. */
        void add(boolean error, long latencyNanos) {
            if (error) errors++;
            else ok++;
            long nanos = Math.max(0, latencyNanos);
            latencyNanosSum += nanos;
            latenciesUs.recordValue(Math.min(LATENCY_US_MAX, Math.max(1, nanos / 1_000)));
        }
    }

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    /** Counts one answered request of {@code op}; {@code error} when its reply was an error. */
    public void record(String op, boolean error, long latencyNanos) {
        Operation o = operation(op);
        synchronized (o) {
            o.add(error, latencyNanos);
        }
    }

    /**
     * Counts {@code count} answered requests at once: request i was of operation {@code ops[i]} (the same
     * String object for the same operation: runs are told apart by identity), an error when
     * {@code errors[i]}, answered after {@code latencyNanos[i]}.
     */
    public void recordAll(String[] ops, boolean[] errors, long[] latencyNanos, int count) {
        int i = 0;
        while (i < count) {
            String op = ops[i];
            Operation o = operation(op);
            synchronized (o) {
                for (; i < count && ops[i] == op; i++) o.add(errors[i], latencyNanos[i]);
            }
        }
    }

    private Operation operation(String op) {
        Operation known = operations.get(op);
        if (known != null) return known;
        String name = operations.size() < OPERATIONS_MAX ? op : OTHER;
        return operations.computeIfAbsent(name, n -> new Operation());
    }

    /** The figures of every operation seen so far, sorted by name. */
    public List<OperationStats> snapshot() {
        List<OperationStats> stats = new ArrayList<>(operations.size());
        operations.forEach((op, o) -> stats.add(stats(op, o)));
        stats.sort((a, b) -> a.op().compareTo(b.op()));
        return stats;
    }

    private static OperationStats stats(String op, Operation o) {
        synchronized (o) {
            return new OperationStats(op, o.ok, o.errors, o.latenciesUs.getTotalCount(), o.latencyNanosSum / 1e9,
                    seconds(o.latenciesUs, 50), seconds(o.latenciesUs, 99), seconds(o.latenciesUs, 99.9));
        }
    }

    private static double seconds(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) return Double.NaN;
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
