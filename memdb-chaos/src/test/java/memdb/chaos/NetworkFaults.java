package memdb.chaos;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the proxies do to traffic right now, shared by all of them: which node pairs are cut (a partition:
 * connections between them are closed and new ones refused, or black-holed: accepted and their bytes
 * dropped), how long each chunk of bytes waits before it is passed on (everywhere, or one way on one link:
 * a scripted scenario holds one node's messages to another), and the chance that a chunk loses its
 * connection (TCP does not lose bytes without losing the connection, so loss closes it). A chunk whose
 * link is cut while it waits is not passed on.
 *
 * <p>Nodes are numbered 1..n; caller 0 is a client (anything not from a node's own address), which is
 * never cut off: the clients stand for the application, which can reach any node (as in Jepsen).
 * Thread-safe: the nemesis writes, the proxies' threads read.
 */
final class NetworkFaults {
    /** How a cut link behaves. */
    enum Cut { CLOSE, BLACK_HOLE }

    private final Set<Long> cutPairs = new HashSet<>();
    private Cut cut = Cut.CLOSE;
    private long delayMs;
    /** Directed links (from, to) -> the delay of the bytes that node {@code from} sends node {@code to}. */
    private final Map<Long, Long> linkDelayMs = new HashMap<>();
    private double lossProbability;
    private long version;

    /** Cuts every link between a node of {@code side} and a node of {@code other}. */
    synchronized void partition(List<Integer> side, List<Integer> other, Cut how) {
        for (int a : side) for (int b : other) cutPairs.add(pair(a, b));
        cut = how;
        version++;
    }

    synchronized void delay(long ms) {
        delayMs = ms;
    }

    /** Every chunk of bytes that node {@code from} sends node {@code to} (on any connection) waits {@code ms}. */
    synchronized void delay(int from, int to, long ms) {
        linkDelayMs.put(((long) from << 32) | to, ms);
    }

    synchronized void loss(double probability) {
        lossProbability = probability;
    }

    /** Everything passes again, at once. */
    synchronized void heal() {
        cutPairs.clear();
        delayMs = 0;
        linkDelayMs.clear();
        lossProbability = 0;
        version++;
    }

    /** Whether traffic between {@code from} and {@code to} (0: a client) is cut. */
    synchronized boolean isCut(int from, int to) {
        return from != 0 && to != 0 && cutPairs.contains(pair(from, to));
    }

    synchronized Cut cutKind() {
        return cut;
    }

    /** How long a chunk of bytes from node {@code from} to node {@code to} (0: a client) waits. */
    synchronized long delayMs(int from, int to) {
        return Math.max(delayMs, linkDelayMs.getOrDefault(((long) from << 32) | to, 0L));
    }

    synchronized double lossProbability() {
        return lossProbability;
    }

    /** Grows at every partition change, so that proxies re-check their open connections. */
    synchronized long version() {
        return version;
    }

    private static long pair(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
