package memdb.admin;

import java.util.List;
import memdb.node.NodeCore;
import memdb.protocol.Key;
import memdb.ring.Ring;

/**
 * Where a key lives, as {@code GET /v1/keys/{key}} shows it: its ring position (signed 64-bit), its
 * preference list (the replicas, first is the natural coordinator) and, when versions were asked for,
 * one {@link ReplicaVersion} per replica in preference-list order (else an empty list). Pure data.
 */
public record KeyReport(String key, long position, List<Integer> preferenceList, List<ReplicaVersion> replicas) {
    public KeyReport {
        preferenceList = List.copyOf(preferenceList);
        replicas = List.copyOf(replicas);
    }

    /**
     * The placement of {@code key} in {@code core}'s ring, without versions. Core thread only. The
     * backend then reads this node's version with {@link #localVersion} and the others' by REPLICA_READ.
     */
    public static KeyReport of(NodeCore core, String key, long nowMs) {
        Key k = Key.of(key);
        int replicationFactor = CoreViews.clusterView(core, nowMs).replicationFactor();
        return new KeyReport(key, Ring.position(k), core.membership().ring().preferenceList(k, replicationFactor), List.of());
    }

    /** This node's own version of {@code key}. Core thread only. */
    public static ReplicaVersion localVersion(NodeCore core, String key) {
        return ReplicaVersion.of(core.membership().selfId(), core.store().get(Key.of(key)));
    }

    public KeyReport withReplicas(List<ReplicaVersion> answers) {
        return new KeyReport(key, position, preferenceList, answers);
    }
}
