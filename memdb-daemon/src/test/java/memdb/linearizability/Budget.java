package memdb.linearizability;

import java.time.Duration;

/**
 * Limits on one check (TigerBeetle style: put a limit on everything). Wing and Gong's search is
 * exponential in the worst case, so a check that would run away stops with {@link CheckResult.Timeout}.
 *
 * @param stepsMax search steps (each tries, skips or undoes one operation); this also bounds memory,
 *     as each step caches at most one configuration (a bitset and a state, ~100 bytes at 300 operations)
 * @param timeMax wall time, measured with the checker's injected clock
 */
public record Budget(long stepsMax, Duration timeMax) {
    public static final Budget DEFAULT = new Budget(5_000_000, Duration.ofSeconds(30));

    public Budget {
        if (stepsMax <= 0 || timeMax.isNegative() || timeMax.isZero()) {
            throw new IllegalArgumentException("budget must be positive: " + stepsMax + " steps, " + timeMax);
        }
    }
}
