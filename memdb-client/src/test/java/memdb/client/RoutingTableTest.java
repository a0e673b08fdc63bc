package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import memdb.protocol.ClusterResponses.ClusterView;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.ring.Ring;
import org.junit.jupiter.api.Test;

/** The pure routing decisions: preference lists as the nodes compute them, liveness order, view changes. */
class RoutingTableTest {
    private static final int VNODES = 16;

    private static Member member(int id, boolean up) {
        return new Member(id, "10.0.0." + id, 10_000, 1, 1, Member.Status.NORMAL, up);
    }

    private static NodeAddress address(int id) {
        return new NodeAddress("10.0.0." + id, 10_000);
    }

    private static ClusterView view(long ringVersion, int replicationFactor, List<Member> members) {
        return new ClusterView(replicationFactor, VNODES, ringVersion, members);
    }

    private static List<Member> upMembers(int count) {
        List<Member> members = new ArrayList<>();
        for (int id = 1; id <= count; id++) members.add(member(id, true));
        return members;
    }

    @Test
    void replicasAreThePreferenceListTheNodesCompute() {
        RoutingTable table = RoutingTable.of(view(1, 3, upMembers(5)));
        Ring ring = Ring.of(List.of(1, 2, 3, 4, 5), VNODES);
        for (int i = 0; i < 200; i++) {
            Key key = Key.of("key-" + i);
            List<NodeAddress> expected = ring.preferenceList(key, 3).stream().map(RoutingTableTest::address).toList();
            Router.Route route = table.route(key, node -> false);
            assertEquals(expected, route.replicas());
            assertEquals(expected, route.coordinators(), "all up: coordinators in ring order");
        }
    }

    @Test
    void downAndRecentlyUnreachableReplicasGoLastInRingOrder() {
        List<Member> members = upMembers(3);
        members.set(0, member(1, false));
        RoutingTable table = RoutingTable.of(view(1, 3, members));
        Key key = Key.of("k");
        List<NodeAddress> replicas = table.route(key, node -> false).replicas();
        NodeAddress down = address(1);
        NodeAddress unreachable = replicas.stream().filter(n -> !n.equals(down)).findFirst().orElseThrow();
        NodeAddress healthy = replicas.stream().filter(n -> !n.equals(down) && !n.equals(unreachable)).findFirst().orElseThrow();
        List<NodeAddress> expected = new ArrayList<>(List.of(healthy));
        expected.addAll(replicas.stream().filter(n -> n.equals(down) || n.equals(unreachable)).toList());
        assertEquals(expected, table.route(key, unreachable::equals).coordinators());
        assertEquals(replicas, table.route(key, unreachable::equals).replicas(), "a quorum read still asks every replica");
    }

    @Test
    void withOneNodeInTheRingEveryKeyHasTheSameRouteObjectWhateverItsLiveness() {
        List<Member> members = upMembers(1);
        members.add(new Member(2, "10.0.0.2", 10_000, 1, 1, Member.Status.LEFT, false));
        for (boolean up : List.of(true, false)) {
            members.set(0, member(1, up));
            RoutingTable table = RoutingTable.of(view(1, 3, members));
            Router.Route first = table.route(Key.of("k"), node -> false);
            assertEquals(List.of(address(1)), first.replicas());
            assertEquals(List.of(address(1)), first.coordinators());
            for (int i = 0; i < 100; i++) {
                boolean unreachable = i % 2 == 0;
                assertSame(first, table.route(Key.of("key-" + i), node -> unreachable), "made once per table");
            }
        }
    }

    @Test
    void leftMembersAreNotInTheRingAndTheFactorIsCapped() {
        List<Member> members = upMembers(2);
        members.add(new Member(3, "10.0.0.3", 10_000, 1, 1, Member.Status.LEFT, false));
        Router.Route route = RoutingTable.of(view(1, 3, members)).route(Key.of("k"), node -> false);
        assertEquals(Set.of(address(1), address(2)), Set.copyOf(route.replicas()));
    }

    @Test
    void sameRingNewLivenessKeepsTheRingAndAChangedMembershipRebuildsIt() {
        RoutingTable table = RoutingTable.of(view(4, 2, upMembers(3)));
        List<Member> oneDown = upMembers(3);
        oneDown.set(1, member(2, false));
        RoutingTable liveness = table.next(view(4, 2, oneDown));
        assertTrue(liveness.sharesRingWith(table));
        assertFalse(liveness.membersUpFirst().indexOf(address(2)) < 2, "the down member is asked last");
        RoutingTable grown = table.next(view(5, 2, upMembers(4)));
        assertFalse(grown.sharesRingWith(table));
        assertEquals(5, grown.ringVersion());
        RoutingTable moved = table.next(view(4, 2, List.of(member(1, true), member(2, true),
                new Member(3, "10.0.0.33", 10_000, 1, 1, Member.Status.NORMAL, true))));
        assertFalse(moved.sharesRingWith(table), "a member at a new address is a change even at the same version");
    }

    @Test
    void anOlderViewFromALaggingNodeIsIgnored() {
        RoutingTable table = RoutingTable.of(view(7, 2, upMembers(4)));
        assertSame(table, table.next(view(6, 2, upMembers(3))));
    }

    @Test
    void aViewWithoutRingMembersIsUnusable() {
        List<Member> left = List.of(new Member(1, "h", 1, 1, 1, Member.Status.LEFT, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingTable.of(view(1, 3, left)));
        assertEquals("its cluster view lists no NORMAL member", e.getMessage());
        List<Member> portZero = List.of(new Member(1, "h", 0, 1, 1, Member.Status.NORMAL, true));
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.of(view(1, 3, portZero)));
    }
}
