package memdb.handoff;

import memdb.protocol.Key;
import memdb.store.Versioned;

/**
 * A version that replica {@code peer} missed, kept by the coordinator until the peer acknowledges it.
 * {@code storedMs} is core time when it was stored (or restored at boot): its age counts from there.
 */
public record Hint(int peer, Key key, Versioned version, long storedMs) {
    /** Roughly what the hint weighs on the wire and in memory. */
    public int bytes() {
        return key.length() + version.value().length + 16;
    }
}
