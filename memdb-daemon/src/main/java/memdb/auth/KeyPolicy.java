package memdb.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import memdb.protocol.Opcode;

/**
 * Which key a connection presented and what that key may send (docs/protocol.md §9.1). Two keys: the
 * <em>client key</em> serves data (reads, writes, counters, CAS, the ring view); the <em>node key</em> also
 * serves the messages nodes send each other (replication, hints, gossip, streaming, anti-entropy, the Paxos
 * acceptor's messages, counter leadership) and the admin forwards (kill, leave, repair, stats). With one key
 * ({@code auth-key} alone) both are that key and a connection that knows it may send everything.
 *
 * <p>Invariants: keys are compared in constant time, as SHA-256 digests (so not even a key's length leaks
 * through timing); the keys themselves are not kept, so neither {@link #toString()} nor a heap dump shows
 * them; every opcode is classified by an exhaustive switch, so a new opcode cannot be forgotten.
 */
public final class KeyPolicy {
    /** What a key lets a connection do. */
    public enum Role { CLIENT, NODE }

    private final byte[] clientDigest;
    private final byte[] nodeDigest;

    /** {@code clientKey} and {@code nodeKey} may be the same key (one-key mode: a NODE role for everyone). */
    public KeyPolicy(String clientKey, String nodeKey) {
        if (clientKey == null || clientKey.isEmpty() || nodeKey == null || nodeKey.isEmpty()) {
            throw new IllegalArgumentException("both keys must be set and non-empty");
        }
        this.clientDigest = sha256(clientKey.getBytes(StandardCharsets.UTF_8));
        this.nodeDigest = sha256(nodeKey.getBytes(StandardCharsets.UTF_8));
    }

    /** One key for clients and nodes alike. */
    public static KeyPolicy single(String key) {
        return new KeyPolicy(key, key);
    }

    /** The role {@code presented} grants, or null for a wrong key. Both keys are always compared. */
    public Role roleOf(byte[] presented) {
        Objects.requireNonNull(presented, "presented");
        byte[] digest = sha256(presented);
        boolean node = MessageDigest.isEqual(nodeDigest, digest);
        boolean client = MessageDigest.isEqual(clientDigest, digest);
        return node ? Role.NODE : client ? Role.CLIENT : null;
    }

    /** True when the client key and the node key differ (two-key mode). */
    public boolean separateKeys() {
        return !MessageDigest.isEqual(clientDigest, nodeDigest);
    }

    /** Whether a connection authenticated as {@code role} may send {@code opcode}. */
    public static boolean allows(Role role, Opcode opcode) {
        return role == Role.NODE || !nodeOnly(opcode);
    }

    /** The messages only nodes send (and the admin API's forwards between nodes); see docs/protocol.md §9.1. */
    public static boolean nodeOnly(Opcode opcode) {
        return switch (opcode) {
            case AUTH, PING, GET, SET, DELETE, CONTAINS, COUNTER_ADD, COUNTER_GET, CAS, SERIAL_GET, CLUSTER_INFO -> false;
            case COUNTER_LEAD, COUNTER_MERGE, COUNTER_READ, PAXOS_PREPARE, PAXOS_PROPOSE, PAXOS_COMMIT, GOSSIP,
                 REPLICA_WRITE, REPLICA_READ, HINTS, STREAM_PULL, STREAM_PUSH, PAXOS_STATE_PULL, PAXOS_STATE_PUSH,
                 COUNTER_DIGEST, COUNTER_FETCH, REPAIR_DIGEST, REPAIR_FETCH, REPAIR_PUSH,
                 REPAIR_RUN, NODE_STATS, KILL, LEAVE -> true;
        };
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "KeyPolicy[" + (separateKeys() ? "client key and node key" : "one key") + ", keys hidden]";
    }
}
