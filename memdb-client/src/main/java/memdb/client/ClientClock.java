package memdb.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest Lamport time this client has seen in any response (DESIGN §3). Every request carries it,
 * so a node's clock moves past everything the client observed before the node stamps the client's next
 * write: a client's later write is ordered after what it read.
 *
 * <p>Invariant: {@link #highestSeen()} never decreases.
 */
final class ClientClock {
    private final AtomicLong highestSeen = new AtomicLong();

    long highestSeen() {
        return highestSeen.get();
    }

    void observe(long lamport) {
        if (lamport > highestSeen.get()) highestSeen.accumulateAndGet(lamport, Math::max);
    }
}
