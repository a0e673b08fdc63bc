package memdb.auth;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing keys: after failed authentications from one remote address, the next AUTH_FAILED
 * answer to that address is held back for a delay that doubles with each failure, from
 * {@link #DELAY_MS_FIRST} up to {@link #DELAY_MS_MAX}. A success from the address, or
 * {@link #FORGET_AFTER_MS} without a failure, clears its record. The caller schedules the answer after the
 * delay (never sleeps on an event loop thread) and keeps the connection from reading meanwhile.
 *
 * <p>Pure logic: time comes in as {@code nowMs}. Invariants: at most {@link #ADDRESSES_MAX} addresses are
 * remembered (the one untouched longest is forgotten first), so a flood of addresses cannot exhaust
 * memory; the delay is never above {@link #DELAY_MS_MAX}. Thread-safe (the I/O threads of a port share one).
 */
public final class AuthThrottle {
    public static final long DELAY_MS_FIRST = 100;
    /**
     * Well below a client's default request timeout (5 s, the CLI's {@code --timeout-ms}): a client with a wrong key
     * learns that its key is wrong (exit 4) rather than timing out (exit 3). At 5 s, the seventh wrong key in a row
     * was answered as late as the CLI gave up. A guesser gains nothing from the difference: one guess per 2 s per
     * address, against keys of 32 random bytes.
     */
    public static final long DELAY_MS_MAX = 2_000;
    public static final long FORGET_AFTER_MS = 10 * 60_000;
    public static final int ADDRESSES_MAX = 10_000;

    private record Failures(int count, long lastMs) {}

    private final long delayMsFirst;
    private final long delayMsMax;
    private final long forgetAfterMs;
    private final int addressesMax;
    /** In access order: the eldest entry is the address untouched longest. */
    private final LinkedHashMap<String, Failures> failures;

    public AuthThrottle() {
        this(DELAY_MS_FIRST, DELAY_MS_MAX, FORGET_AFTER_MS, ADDRESSES_MAX);
    }

    public AuthThrottle(long delayMsFirst, long delayMsMax, long forgetAfterMs, int addressesMax) {
        if (delayMsFirst < 0 || delayMsMax < delayMsFirst || forgetAfterMs <= 0 || addressesMax < 1) {
            throw new IllegalArgumentException("bad throttle settings");
        }
        this.delayMsFirst = delayMsFirst;
        this.delayMsMax = delayMsMax;
        this.forgetAfterMs = forgetAfterMs;
        this.addressesMax = addressesMax;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > AuthThrottle.this.addressesMax;
            }
        };
    }

    /** Records a failed authentication from {@code address}; returns how long to hold back its answer. */
    public synchronized long failed(String address, long nowMs) {
        Failures before = failures.get(address);
        int count = before == null || nowMs - before.lastMs() >= forgetAfterMs ? 1 : before.count() + 1;
        failures.put(address, new Failures(count, nowMs));
        return delayMs(count);
    }

    /** A successful authentication from {@code address}: its failures are forgotten. */
    public synchronized void succeeded(String address) {
        failures.remove(address);
    }

    /** Failures remembered for {@code address} (0 when none, or forgotten by {@code nowMs}). */
    public synchronized int failures(String address, long nowMs) {
        Failures f = failures.get(address);
        return f == null || nowMs - f.lastMs() >= forgetAfterMs ? 0 : f.count();
    }

    /** The key a remote address is remembered by: its IP address without the port (a guesser reconnects from new ports). */
    public static String addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }

    /** Addresses remembered. */
    public synchronized int addresses() {
        return failures.size();
    }

    /** The delay after the {@code count}-th failure in a row: first, 2×first, 4×first, ... capped. */
    private long delayMs(int count) {
        int doublings = Math.min(count - 1, 62);
        long delay = delayMsFirst;
        for (int i = 0; i < doublings && delay < delayMsMax; i++) delay *= 2;
        return Math.min(delay, delayMsMax);
    }
}
