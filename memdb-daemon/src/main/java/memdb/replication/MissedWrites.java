package memdb.replication;

import memdb.protocol.Key;
import memdb.store.Versioned;

/**
 * Told by the {@link Coordinator} each time a replica of a write did not take it: it was down when the
 * write was sent, its request failed or was refused, or it did not answer by the request's deadline.
 * Hinted handoff (memdb.handoff) keeps these and replays them when the replica is back. Called on the
 * core thread, inside the step that saw the miss.
 */
public interface MissedWrites {
    MissedWrites NONE = (replica, key, version) -> {};

    void missed(int replica, Key key, Versioned version);
}
