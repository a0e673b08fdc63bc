package memdb.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import memdb.protocol.Member;
import memdb.ring.Ring;

/**
 * A node's view of the cluster: who is in it (learned by gossip, scuttlebutt-style push-pull of whole
 * digests, as Cassandra's gossiper), who is alive (a heartbeat timeout failure detector), and the ring
 * that the members form.
 *
 * <p>Invariants: this node's own record is always present and only this node advances its heartbeat;
 * a record is replaced only by a newer one ({@link Member#isNewerThan}); liveness is local — a peer is
 * up while its heartbeat advanced within {@code downAfterMs} of local time; the ring holds every member
 * whose status is NORMAL, up or down (a dead node keeps its ranges until it leaves). Pure: time and
 * randomness come from the caller.
 */
public final class Membership {
    private final int selfId;
    private final long downAfterMs;
    private final int vnodesPerNode;
    private final RandomGenerator random;
    private final Map<Integer, Member> members = new TreeMap<>();
    private final Map<Integer, Long> lastAdvancedMs = new TreeMap<>();
    private Ring ring;
    private long ringVersion;

    public Membership(Member self, long downAfterMs, int vnodesPerNode, RandomGenerator random, long nowMs) {
        this.selfId = self.nodeId();
        this.downAfterMs = downAfterMs;
        this.vnodesPerNode = vnodesPerNode;
        this.random = random;
        members.put(selfId, self.withUp(true));
        lastAdvancedMs.put(selfId, nowMs);
        rebuildRing();
    }

    public int selfId() {
        return selfId;
    }

    public Member self() {
        return members.get(selfId);
    }

    /** Advances this node's heartbeat; call once per gossip round. */
    public void heartbeat(long nowMs) {
        Member self = members.get(selfId);
        members.put(selfId, new Member(selfId, self.host(), self.port(), self.generation(), self.heartbeat() + 1,
                self.status(), true));
        lastAdvancedMs.put(selfId, nowMs);
    }

    /**
     * Merges a received digest; returns true when the ring changed (a node appeared or left). Records of
     * this node itself are ignored unless they claim it LEFT in this same incarnation (never here).
     */
    public boolean merge(Collection<Member> digest, long nowMs) {
        boolean ringChanged = false;
        for (Member received : digest) {
            if (received.nodeId() == selfId) continue;
            Member known = members.get(received.nodeId());
            if (known != null && !received.isNewerThan(known)) continue;
            members.put(received.nodeId(), received);
            lastAdvancedMs.put(received.nodeId(), nowMs);
            if (known == null || known.status() != received.status()) ringChanged = true;
        }
        if (ringChanged) rebuildRing();
        return ringChanged;
    }

    /** Marks this node as leaving the ring for good (decommission); gossip spreads it. */
    public void leave() {
        Member self = members.get(selfId);
        members.put(selfId, new Member(selfId, self.host(), self.port(), self.generation(), self.heartbeat() + 1,
                Member.Status.LEFT, true));
        rebuildRing();
    }

    /** Whether the failure detector holds the node alive at {@code nowMs}. This node is always up. */
    public boolean isUp(int nodeId, long nowMs) {
        if (nodeId == selfId) return true;
        Long last = lastAdvancedMs.get(nodeId);
        Member member = members.get(nodeId);
        return last != null && member != null && member.status() == Member.Status.NORMAL
                && nowMs - last <= downAfterMs;
    }

    public Member member(int nodeId) {
        return members.get(nodeId);
    }

    /** Every known member, with this node's verdict on its liveness. */
    public List<Member> digest(long nowMs) {
        List<Member> digest = new ArrayList<>(members.size());
        for (Member m : members.values()) digest.add(m.withUp(isUp(m.nodeId(), nowMs)));
        return digest;
    }

    /** A peer to gossip with: a random other NORMAL member (down ones too, so that recovery is noticed), or -1. */
    public int gossipTarget() {
        List<Integer> peers = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.nodeId() != selfId && m.status() == Member.Status.NORMAL) peers.add(m.nodeId());
        }
        return peers.isEmpty() ? -1 : peers.get(random.nextInt(peers.size()));
    }

    public Ring ring() {
        return ring;
    }

    /** Grows by one each time the ring changes, so that a client can tell its copy is stale. */
    public long ringVersion() {
        return ringVersion;
    }

    private void rebuildRing() {
        List<Integer> inRing = new ArrayList<>();
        for (Member m : members.values()) if (m.status() == Member.Status.NORMAL) inRing.add(m.nodeId());
        ring = Ring.of(inRing, vnodesPerNode);
        ringVersion++;
    }
}
