package memdb.sim;

import java.util.ArrayDeque;

/**
 * The record of what happened in one run: a running 64-bit hash of every line (two runs of the same
 * seed must end with the same hash: that is the determinism check) and the last lines kept verbatim for
 * the failure message. Lines are what the network carried, what clients did, and the faults injected.
 */
final class Trace {
    private final int tailLines;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long hash = 0xcbf29ce484222325L;
    private long lines;

    Trace(int tailLines) {
        this.tailLines = tailLines;
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
