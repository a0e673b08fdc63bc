package memdb.sim;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Member;
import memdb.protocol.Requests;
import memdb.protocol.Responses;

/**
 * One-line renderings of messages for the trace: values are shown (they are short and unique in the
 * simulation, and a failing seed is read by value), gossip digests compactly as id:generation:heartbeat.
 * Only strings and numbers go in, never identity or enum hash codes, so the trace hash is stable
 * across JVMs.
 */
final class Describe {
    private Describe() {}

    static String message(Object message) {
        if (message instanceof ClusterRequests.Gossip gossip) return "Gossip" + members(gossip.members());
        if (message instanceof ClusterResponses.GossipAck ack) return "GossipAck" + members(ack.members());
        if (message instanceof Requests.Set set) {
            return "Set[" + set.key() + "=" + text(set.value()) + ", " + set.consistency() + "]";
        }
        if (message instanceof ClusterRequests.ReplicaWrite write) {
            return "ReplicaWrite[" + write.key() + "=" + (write.tombstone() ? "(tombstone)" : text(write.value()))
                    + ", " + write.timestamp() + "]";
        }
        if (message instanceof Responses.Value value) return value(value);
        return String.valueOf(message);
    }

    static String value(Responses.Value value) {
        return switch (value.state()) {
            case ABSENT -> "ABSENT";
            case TOMBSTONE -> "TOMBSTONE@" + value.timestamp();
            case PRESENT -> text(value.value()) + "@" + value.timestamp();
        };
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String members(List<Member> members) {
        return members.stream().map(m -> m.nodeId() + ":" + m.generation() + ":" + m.heartbeat()
                + (m.status() == Member.Status.LEFT ? "L" : "")).collect(Collectors.joining(",", "[", "]"));
    }
}
