package memdb.net;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When to say that a peer cannot be reached or refused this node: at most once per {@link #INTERVAL_MS} per
 * address. Without it a node joining through a seed that is down, or that has another node key, ran on with
 * no word in its log (found by session 8's walk); with it the log says so once a minute, not at every gossip
 * round. Pure logic (time comes in as {@code nowMs}); thread-safe, as the peer client's I/O threads share one.
 */
final class PeerWarnings {
    static final long INTERVAL_MS = 60_000;

    private final ConcurrentHashMap<String, Long> lastSaid = new ConcurrentHashMap<>();

    /** True when a warning about {@code address} is due now (and notes it as said). */
    boolean due(String address, long nowMs) {
        boolean[] due = {false};
        lastSaid.compute(address, (a, last) -> {
            due[0] = last == null || nowMs - last >= INTERVAL_MS;
            return due[0] ? nowMs : last;
        });
        return due[0];
    }
}
