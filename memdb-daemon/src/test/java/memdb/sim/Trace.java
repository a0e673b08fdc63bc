package memdb.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of what happened in one run: a running 64-bit hash of every line (two runs of the same
 * seed must end with the same hash: that is the determinism check) and the last lines kept verbatim for
 * the failure message; a replay may keep every line. Lines are what the network carried, what clients
 * did, and the faults injected.
 */
final class Trace {
    private final int tailLines;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final List<String> all; // every line, only when asked for (replaying a failed seed)
    private long hash = 0xcbf29ce484222325L;
    private long lines;

    Trace(int tailLines, boolean keepAll) {
        this.tailLines = tailLines;
        this.all = keepAll ? new ArrayList<>() : null;
    }

    void record(long nowMs, String line) {
        String stamped = nowMs + "ms " + line;
        for (int i = 0; i < stamped.length(); i++) {
            hash ^= stamped.charAt(i);
            hash *= 0x100000001b3L; // FNV-1a: stable across JVMs, unlike identity or enum hash codes
        }
        hash ^= '\n';
        hash *= 0x100000001b3L;
        lines++;
        if (tail.size() == tailLines) tail.removeFirst();
        tail.addLast(stamped);
        if (all != null) all.add(stamped);
    }

    /** Every line, if this trace keeps them all; else empty. */
    List<String> all() {
        return all == null ? List.of() : all;
    }

    long hash() {
        return hash;
    }

    long lines() {
        return lines;
    }

    String tail() {
        return String.join("\n  ", tail);
    }
}
