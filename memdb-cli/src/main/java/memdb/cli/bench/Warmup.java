package memdb.cli.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How each test warms up before it is measured: its requests go out as the test's own, closed loop and all, and
 * are not counted. {@code --warmup auto} (the default) sends until the JVM's JIT compiler has settled
 * ({@link JitSettling}), so that the measured requests run compiled code and the compiler threads no longer take
 * CPU from the load generator and the node; on 2 cores shared with the node that is what a short run's figure
 * depends on (docs/performance.md, "Session 7: native bench"). {@code --warmup N}: exactly N requests;
 * {@code --warmup 0}: none.
 *
 * <p>An automatic warm-up is bounded in time and in count: at most {@link #AUTO_TIME_MAX} per test and at most
 * {@link #AUTO_REQUESTS_FACTOR} times the test's measured requests (so a short run gets a short warm-up), and by
 * the run's {@code --time-limit-s}. What a test's warm-up did is reported with the test ({@link Done}).
 *
 * @param untilJitSettles true for {@code auto}; {@code requests} is then 0
 * @param requests        the requests of a fixed warm-up (0: none)
 */
public record Warmup(boolean untilJitSettles, long requests) {
    public static final Warmup NONE = new Warmup(false, 0);
    public static final Warmup AUTO = new Warmup(true, 0);
    public static final Duration AUTO_TIME_MAX = Duration.ofSeconds(10);
    public static final long AUTO_REQUESTS_FACTOR = 10;
    /** The one error for a value that is neither {@code auto} nor a request count in range. */
    private static final String INVALID = "--warmup must be auto or between 0 and " + BenchPlan.REQUESTS_MAX;

    public Warmup {
        if (requests < 0 || requests > BenchPlan.REQUESTS_MAX || (untilJitSettles && requests != 0)) {
            throw new IllegalArgumentException(INVALID);
        }
    }

    /** A warm-up of exactly {@code requests} requests (0: none). */
    public static Warmup ofRequests(long requests) {
        return new Warmup(false, requests);
    }

    /** {@code auto} or a request count; IllegalArgumentException with the reason otherwise. */
    public static Warmup parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) return AUTO;
        try {
            return ofRequests(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(INVALID);
        }
    }

    public boolean isNone() {
        return !untilJitSettles && requests == 0;
    }

    /** The most requests the warm-up of a test of {@code measuredRequests} requests sends. */
    long requestCap(long measuredRequests) {
        if (!untilJitSettles) return requests;
        return Math.min(BenchPlan.REQUESTS_MAX, Math.max(1, measuredRequests) * AUTO_REQUESTS_FACTOR);
    }

    /** As given on the command line: {@code auto} or the count. */
    @Override
    public String toString() {
        return untilJitSettles ? "auto" : Long.toString(requests);
    }

    /** How a test's warm-up ended. */
    public enum End {
        /** There was none. */
        NONE("none"),
        /** A fixed warm-up sent its requests. */
        REQUESTS("requests"),
        /** An automatic warm-up saw the JIT compiler settle. */
        JIT_SETTLED("jit-settled"),
        /** An automatic warm-up reached its bound (time or count) before the compiler settled, or the run's time limit. */
        BOUND("bound");

        private final String label;

        End(String label) {
            this.label = label;
        }

        /** The name in reports. */
        public String label() {
            return label;
        }
    }

    /** What the warm-up of one test did: requests answered, for how long, and how it ended. */
    public record Done(long requests, double seconds, End end) {
        public static final Done NONE = new Done(0, 0, End.NONE);
    }
}
