package memdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import memdb.protocol.Member;
import org.junit.jupiter.api.Test;

/** The durable cluster log: record format, what a replay restores, and which membership changes are logged. */
class ClusterLogTest {
    private static final Member SELF = new Member(1, "h1", 7001, 10, 0, Member.Status.NORMAL, true);

    private static Member member(int id, long generation, long heartbeat, Member.Status status) {
        return new Member(id, "h" + id, 7000 + id, generation, heartbeat, status, false);
    }

    @Test
    void aMemberRecordRoundTripsAndTheLatestPerMemberWins() {
        ClusterLog.Restored restored = new ClusterLog.Restored();
        Member joining = member(300, 5, 2, Member.Status.JOINING);
        Member normal = member(300, 5, 9, Member.Status.NORMAL);
        restored.add(ClusterLog.memberKey(300), 7, ClusterLog.member(joining));
        restored.add(ClusterLog.memberKey(300), 8, ClusterLog.member(normal));
        restored.add(ClusterLog.rangeKey(-42), 9, ClusterLog.rangeDone(-42));
        assertEquals(List.of(normal), new ArrayList<>(restored.members()));
        assertEquals(List.of(-42L), restored.rangesDone());
        assertEquals(9, restored.version());
    }

    @Test
    void aDamagedRecordIsRefused() {
        ClusterLog.Restored restored = new ClusterLog.Restored();
        byte[] value = ClusterLog.member(member(2, 1, 1, Member.Status.NORMAL));
        byte[] truncated = java.util.Arrays.copyOf(value, value.length - 3);
        assertThrows(IllegalArgumentException.class, () -> restored.add(ClusterLog.memberKey(2), 1, truncated));
        assertThrows(IllegalArgumentException.class, () -> restored.add(ClusterLog.memberKey(2), 1, new byte[] {9, 'M'}));
    }

    @Test
    void recordKeysCannotCollideWithClientKeys() {
        // 0xFF never occurs in UTF-8, and client keys are UTF-8.
        assertEquals((byte) 0xFF, ClusterLog.memberKey(1).bytes()[0]);
        assertEquals((byte) 0xFF, ClusterLog.rangeKey(1).bytes()[0]);
    }

    @Test
    void membershipQueuesEveryChangeButNotHeartbeats() {
        Membership m = new Membership(SELF, 3_000, 8, new SplittableRandom(1), 0);
        assertEquals(List.of(SELF), m.drainChanges()); // this node itself, first seen
        m.merge(List.of(member(2, 1, 1, Member.Status.NORMAL)), 0);
        m.merge(List.of(member(2, 1, 2, Member.Status.NORMAL)), 0); // a heartbeat: not a change
        m.merge(List.of(member(2, 2, 0, Member.Status.NORMAL)), 0); // a restart
        m.merge(List.of(member(2, 2, 1, Member.Status.LEAVING)), 0);
        m.heartbeat(10);
        m.markDown(2);
        List<Member> changes = m.drainChanges();
        assertEquals(List.of(1L, 2L, 2L, 2L), changes.stream().map(Member::generation).toList());
        assertEquals(List.of(Member.Status.NORMAL, Member.Status.NORMAL, Member.Status.LEAVING, Member.Status.DOWN),
                changes.stream().map(Member::status).toList());
        assertTrue(m.drainChanges().isEmpty());
    }

    @Test
    void aRestartedNodeRestoresItsOwnMoveAndLearnsWhatItMissed() {
        Membership before = new Membership(SELF.withStatus(Member.Status.JOINING), 3_000, 8, new SplittableRandom(1), 0);
        before.merge(List.of(member(2, 1, 1, Member.Status.NORMAL), member(3, 1, 1, Member.Status.NORMAL)), 0);
        ClusterLog.Restored log = new ClusterLog.Restored();
        long version = 0;
        for (Member change : before.drainChanges()) {
            log.add(ClusterLog.memberKey(change.nodeId()), ++version, ClusterLog.member(change));
        }
        Membership after = new Membership(new Member(1, "h1", 7001, 11, 0, Member.Status.NORMAL, true), 3_000, 8,
                new SplittableRandom(1), 0);
        after.restore(log.members(), 0);
        assertEquals(Member.Status.JOINING, after.self().status(), "a restart resumes the join");
        assertEquals(11, after.self().generation());
        assertEquals(List.of(2, 3), new ArrayList<>(after.ring().nodes()));
        // While it was down, node 3 left: gossip brings the newer record, which becomes a change to log.
        after.drainChanges();
        after.merge(List.of(member(3, 1, 7, Member.Status.LEFT)), 0);
        assertEquals(List.of(2), new ArrayList<>(after.ring().nodes()));
        assertEquals(Member.Status.LEFT, after.drainChanges().get(0).status());
    }

    @Test
    void aRestartWhoseWallClockReadsEarlierStillGetsALaterIncarnation() {
        // The last start had its clock hours ahead (generation 5000); this one reads 11.
        Membership before = new Membership(new Member(1, "h1", 7001, 5_000, 0, Member.Status.NORMAL, true), 3_000, 8,
                new SplittableRandom(1), 0);
        ClusterLog.Restored log = new ClusterLog.Restored();
        long version = 0;
        for (Member change : before.drainChanges()) log.add(ClusterLog.memberKey(change.nodeId()), ++version, ClusterLog.member(change));
        Membership after = new Membership(new Member(1, "h1", 7001, 11, 0, Member.Status.NORMAL, true), 3_000, 8,
                new SplittableRandom(1), 0);
        after.restore(log.members(), 0);
        assertEquals(5_001, after.self().generation(), "above every logged incarnation, so peers take it as newer");
        assertTrue(after.drainChanges().stream().anyMatch(m -> m.nodeId() == 1 && m.generation() == 5_001),
                "and the new incarnation is logged");
        Membership peer = new Membership(member(2, 1, 1, Member.Status.NORMAL), 3_000, 8, new SplittableRandom(1), 0);
        peer.merge(List.of(before.self()), 0);
        peer.merge(List.of(after.self()), 0);
        assertEquals(5_001, peer.member(1).generation(), "a peer that knew the clock-ahead incarnation takes the new one");
    }

    @Test
    void everyoneKnowsOnlyOnceEachMemberAnsweredWithIt() {
        Membership m = new Membership(SELF, 3_000, 8, new SplittableRandom(1), 0);
        m.merge(List.of(member(2, 1, 1, Member.Status.NORMAL), member(3, 1, 1, Member.Status.NORMAL)), 0);
        m.setSelfStatus(Member.Status.LEAVING);
        assertTrue(!m.everyoneKnows(1, Member.Status.LEAVING, 0));
        m.mergeFrom(2, List.of(m.self()), 0);
        assertTrue(!m.everyoneKnows(1, Member.Status.LEAVING, 0));
        m.mergeFrom(3, List.of(m.self()), 0);
        assertTrue(m.everyoneKnows(1, Member.Status.LEAVING, 0));
    }
}
