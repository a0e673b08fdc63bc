package memdb.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Client requests answered by this node, per operation: counts by outcome and a latency histogram.
 * Thread-safe and cheap on the hot path: {@link #record} is two LongAdder increments and a wait-free
 * HdrHistogram {@link Recorder} write, callable from any thread at any rate.
 *
 * <p>Limits: about {@link #OPERATIONS_MAX} distinct operation names (later ones count as
 * {@link #OTHER}; threads racing on new names may add a few more, never unboundedly many); latencies are kept in microseconds, 2 significant digits (1% error), from 1 µs to
 * {@link #LATENCY_US_MAX} (longer ones count as that). Quantiles cover the whole life of the node:
 * each {@link #snapshot} folds what was recorded since the previous one into a running total.
 */
public final class RequestMetrics {
    public static final int OPERATIONS_MAX = 64;
    public static final String OTHER = "other";
    public static final long LATENCY_US_MAX = 60_000_000;
    private static final int SIGNIFICANT_DIGITS = 2;

    /** One operation's figures at a snapshot; latencies in seconds. */
    public record OperationStats(String op, long ok, long errors, long latencyCount, double latencySumSeconds,
                                 double p50Seconds, double p99Seconds, double p999Seconds) {}

    private static final class Operation {
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder latencyNanosSum = new LongAdder();
        final Recorder recorder = new Recorder(1, LATENCY_US_MAX, SIGNIFICANT_DIGITS);
        /** Guarded by this: the interval buffer and the running total of all intervals. */
        Histogram interval;
        final Histogram total = new Histogram(1, LATENCY_US_MAX, SIGNIFICANT_DIGITS);
    }

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    /** Counts one answered request of {@code op}; {@code error} when its reply was an error. */
    public void record(String op, boolean error, long latencyNanos) {
        Operation o = operation(op);
        (error ? o.errors : o.ok).increment();
        long nanos = Math.max(0, latencyNanos);
        o.latencyNanosSum.add(nanos);
        o.recorder.recordValue(Math.min(LATENCY_US_MAX, Math.max(1, nanos / 1_000)));
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
            o.interval = o.recorder.getIntervalHistogram(o.interval);
            o.total.add(o.interval);
            return new OperationStats(op, o.ok.sum(), o.errors.sum(), o.total.getTotalCount(),
                    o.latencyNanosSum.sum() / 1e9, seconds(o.total, 50), seconds(o.total, 99), seconds(o.total, 99.9));
        }
    }

    private static double seconds(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) return Double.NaN;
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
