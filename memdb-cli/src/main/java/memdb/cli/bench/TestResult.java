package memdb.cli.bench;

/**
 * What one test measured. Latencies are from issuing a request to its answer, in milliseconds.
 *
 * @param requests answered requests (successes and errors)
 * @param complete false when the time limit stopped the test before all its requests were sent
 * @param warmup   what the test's warm-up did before the measured requests (not counted in them)
 */
public record TestResult(String test, long requests, long errors, double seconds,
                         double latencyP50Ms, double latencyP99Ms, double latencyP999Ms, double latencyMaxMs,
                         boolean complete, Warmup.Done warmup) {
    public TestResult {
        if (warmup == null) throw new IllegalArgumentException("a warm-up (or Warmup.Done.NONE) is required");
    }

    /** A result without warm-up. */
    public TestResult(String test, long requests, long errors, double seconds,
                      double latencyP50Ms, double latencyP99Ms, double latencyP999Ms, double latencyMaxMs, boolean complete) {
        this(test, requests, errors, seconds, latencyP50Ms, latencyP99Ms, latencyP999Ms, latencyMaxMs, complete, Warmup.Done.NONE);
    }

    /** This result with the warm-up that came before it. */
    public TestResult withWarmup(Warmup.Done done) {
        return new TestResult(test, requests, errors, seconds, latencyP50Ms, latencyP99Ms, latencyP999Ms, latencyMaxMs, complete, done);
    }

    /** Answered requests per second (errors included, as redis-benchmark counts them). */
    public double opsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }
}
