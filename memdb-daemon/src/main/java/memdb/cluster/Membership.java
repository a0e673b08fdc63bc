package memdb.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import memdb.protocol.Member;
import memdb.ring.Ring;

/**
 * A node's view of the cluster: who is in it (learned by gossip, scuttlebutt-style push-pull of whole
 * digests, as Cassandra's gossiper), who is alive (a heartbeat timeout failure detector), and the rings
 * that the members form: the current ring (NORMAL, LEAVING and DOWN members: reads and writes go there)
 * and the future ring (NORMAL, DOWN and JOINING members: where the data is moving to). The difference is
 * the pending ranges of a join or leave (Cassandra's term): writes go there too, reads not yet.
 *
 * <p>Invariants: this node's own record is always present and only this node advances its heartbeat;
 * a record is replaced only by a newer one ({@link Member#isNewerThan}); every accepted change of a
 * member's incarnation, address or status is queued as a cluster-log change ({@link #drainChanges}),
 * which the node makes durable (memdb.cluster.ClusterLog); liveness is local — a peer is up while its
 * heartbeat advanced within {@code downAfterMs} of local time, and never while DOWN or LEFT. Pure: time
 * and randomness come from the caller.
 */
public final class Membership {
    private final int selfId;
    private final long downAfterMs;
    private final int vnodesPerNode;
    private final RandomGenerator random;
    private final Map<Integer, Member> members = new TreeMap<>();
    private final Map<Integer, Long> lastAdvancedMs = new TreeMap<>();
    /** What each peer last told this node (in a gossip answer) about every member: who knows what. */
    private final Map<Integer, Map<Integer, Member>> viewsOfPeers = new HashMap<>();
    private final List<Member> changes = new ArrayList<>();
    private Ring ring;
    private Ring futureRing;
    private long ringVersion;
    private boolean heardFromPeers;
    /**
     * Whether another member has not left: kept by {@link #rebuildRing}, which every change of a peer's status
     * (and every new peer) goes through, so that the per-request check reads a field.
     */
    private boolean hasPeers;

    public Membership(Member self, long downAfterMs, int vnodesPerNode, RandomGenerator random, long nowMs) {
        this.selfId = self.nodeId();
        this.downAfterMs = downAfterMs;
        this.vnodesPerNode = vnodesPerNode;
        this.random = random;
        members.put(selfId, self.withUp(true));
        lastAdvancedMs.put(selfId, nowMs);
        changes.add(self.withUp(true));
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
     * Merges a received digest; returns true when the ring changed (a node appeared, left or changed
     * status). Records of this node itself are ignored: only this node decides its own status.
     */
    public boolean merge(Collection<Member> digest, long nowMs) {
        boolean ringChanged = false;
        for (Member received : digest) {
            if (received.nodeId() == selfId) continue;
            Member known = members.get(received.nodeId());
            if (known != null && !received.isNewerThan(known)) continue;
            members.put(received.nodeId(), received);
            lastAdvancedMs.put(received.nodeId(), nowMs);
            if (isChange(known, received)) changes.add(received.withUp(false));
            if (known == null || known.status() != received.status()) ringChanged = true;
        }
        if (ringChanged) rebuildRing();
        return ringChanged;
    }

    /** A peer's gossip answer: merges it, and remembers what that peer knows (see {@link #everyoneKnows}). */
    public boolean mergeFrom(int peerId, Collection<Member> digest, long nowMs) {
        Map<Integer, Member> view = viewsOfPeers.computeIfAbsent(peerId, id -> new HashMap<>());
        for (Member m : digest) view.put(m.nodeId(), m);
        heardFromPeers = true;
        return merge(digest, nowMs);
    }

    /** A peer's gossip push (its sender is not named): merges it; this node has now heard from the cluster. */
    public boolean mergeReceived(Collection<Member> digest, long nowMs) {
        heardFromPeers = true;
        return merge(digest, nowMs);
    }

    /**
     * Restores the members of the durable cluster log at boot. A record of this node itself gives its
     * status back (a restart resumes a join or a leave, and a node that finished joining is not joining
     * again), and its incarnation: the new one is above every logged one, even when the wall clock (the
     * generation's source) now reads earlier than at a previous start — else peers would take this node's
     * records for an older incarnation's and hold it down until the clock caught up (found by the fault
     * harness's clock skew: a node started with its clock hours ahead, then normally). Everything else
     * merges as gossip would.
     */
    public void restore(Collection<Member> logged, long nowMs) {
        for (Member m : logged) {
            if (m.nodeId() == selfId && m.generation() >= self().generation()) {
                Member self = self();
                Member later = new Member(selfId, self.host(), self.port(), m.generation() + 1, self.heartbeat(),
                        self.status(), true);
                members.put(selfId, later);
                changes.add(later);
            }
        }
        for (Member m : logged) {
            if (m.nodeId() == selfId && m.status() != Member.Status.DOWN && m.status() != self().status()) {
                setSelfStatus(m.status());
            }
        }
        merge(logged, nowMs);
    }

    private static boolean isChange(Member known, Member received) {
        return known == null || known.generation() != received.generation() || known.status() != received.status()
                || !known.host().equals(received.host()) || known.port() != received.port();
    }

    /** Changes this node's own status (join, leave); gossip spreads it and the cluster log records it. */
    public void setSelfStatus(Member.Status status) {
        Member changed = members.get(selfId).withStatus(status).withUp(true);
        members.put(selfId, changed);
        changes.add(changed);
        rebuildRing();
    }

    /** Marks this node as leaving the ring for good (decommission done); gossip spreads it. */
    public void leave() {
        setSelfStatus(Member.Status.LEFT);
    }

    /** An admin kill of another node: it is DOWN (ring unchanged) until it restarts with a new generation. */
    public void markDown(int nodeId) {
        Member known = members.get(nodeId);
        if (known == null || nodeId == selfId || !known.status().inRing()) return;
        Member down = known.withStatus(Member.Status.DOWN).withUp(false);
        members.put(nodeId, down);
        changes.add(down);
        rebuildRing();
    }

    /** The membership changes accepted since the last call, oldest first, for the durable cluster log. */
    public List<Member> drainChanges() {
        if (changes.isEmpty()) return List.of(); // after nearly every input: nothing to copy
        List<Member> drained = List.copyOf(changes);
        changes.clear();
        return drained;
    }

    /** Whether the failure detector holds the node alive at {@code nowMs}. This node is always up. */
    public boolean isUp(int nodeId, long nowMs) {
        if (nodeId == selfId) return true;
        Long last = lastAdvancedMs.get(nodeId);
        Member member = members.get(nodeId);
        return last != null && member != null && member.status() != Member.Status.LEFT
                && member.status() != Member.Status.DOWN && nowMs - last <= downAfterMs;
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

    /**
     * Whether every other live member has told this node (in a gossip answer) that it holds {@code nodeId}
     * in {@code status}, in its current incarnation: after that, no coordinator works with an older picture
     * of that member. Members that are down are not waited for: a restarted node coordinates nothing until
     * it has heard from a peer ({@link #heardFromPeers}), whose answer brings it up to date.
     */
    public boolean everyoneKnows(int nodeId, Member.Status status, long nowMs) {
        Member mine = members.get(nodeId);
        if (mine == null || mine.status() != status) return false;
        for (Member m : members.values()) {
            if (m.nodeId() == selfId || m.nodeId() == nodeId || !isUp(m.nodeId(), nowMs)) continue;
            Map<Integer, Member> view = viewsOfPeers.get(m.nodeId());
            Member theirs = view == null ? null : view.get(nodeId);
            if (theirs == null || theirs.status() != status || theirs.generation() != mine.generation()) return false;
        }
        return true;
    }

    /**
     * Whether any peer's gossip reached this node since it started (before that, what it knows of
     * the cluster may be old: it may have been down while others joined or left).
     */
    public boolean heardFromPeers() {
        return heardFromPeers;
    }

    /** Whether this node knows of any other member that has not left. */
    public boolean hasPeers() {
        return hasPeers;
    }

    /** A peer to gossip with: a random other member that has not left (down ones too, so that recovery is noticed), or -1. */
    public int gossipTarget() {
        List<Integer> peers = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.nodeId() != selfId && m.status() != Member.Status.LEFT) peers.add(m.nodeId());
        }
        return peers.isEmpty() ? -1 : peers.get(random.nextInt(peers.size()));
    }

    /** Members now joining or leaving, by node id. */
    public List<Integer> moving() {
        List<Integer> moving = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.status() == Member.Status.JOINING || m.status() == Member.Status.LEAVING) moving.add(m.nodeId());
        }
        return moving;
    }

    /** The current ring: where reads and writes go. */
    public Ring ring() {
        return ring;
    }

    /** The ring once every join and leave under way is done: writes also go to its new replicas (pending ranges). */
    public Ring futureRing() {
        return futureRing;
    }

    /** Grows by one each time the ring changes, so that a client can tell its copy is stale. */
    public long ringVersion() {
        return ringVersion;
    }

    private void rebuildRing() {
        List<Integer> inRing = new ArrayList<>();
        List<Integer> inFuture = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.status().inRing()) inRing.add(m.nodeId());
            if (m.status() == Member.Status.JOINING || m.status().inRing() && m.status() != Member.Status.LEAVING) {
                inFuture.add(m.nodeId());
            }
        }
        ring = Ring.of(inRing, vnodesPerNode);
        // No move under way: the future ring is the ring itself, so that pending replicas are found at once.
        futureRing = inFuture.equals(inRing) ? ring : Ring.of(inFuture, vnodesPerNode);
        ringVersion++;
        hasPeers = false;
        for (Member m : members.values()) if (m.nodeId() != selfId && m.status() != Member.Status.LEFT) hasPeers = true;
    }
}
