package memdb.cli.bench;

/**
 * What one test measured. Latencies are from issuing a request to its answer, in milliseconds.
 *
 * @param requests answered requests (successes and errors)
 * @param complete false when the time limit stopped the test before all its requests were sent
 */
public record TestResult(String test, long requests, long errors, double seconds,
                         double latencyP50Ms, double latencyP99Ms, double latencyP999Ms, double latencyMaxMs,
                         boolean complete) {
    /** Answered requests per second (errors included, as redis-benchmark counts them). */
    public double opsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }
}
