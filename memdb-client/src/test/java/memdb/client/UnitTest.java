package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import memdb.protocol.Responses.ValueState;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/** The small pure parts: addresses, configuration, picking the most up-to-date answer (routing: RoutingTableTest). */
class UnitTest {
    private static final NodeAddress A = new NodeAddress("a", 1);
    private static final NodeAddress B = new NodeAddress("b", 2);
    private static final NodeAddress C = new NodeAddress("c", 3);

    @Test
    void addressesParseAndPrint() {
        assertEquals(new NodeAddress("127.0.0.1", 10000), NodeAddress.parse(" 127.0.0.1:10000 "));
        assertEquals(new NodeAddress("::1", 10000), NodeAddress.parse("[::1]:10000"));
        assertEquals("[::1]:10000", NodeAddress.parse("[::1]:10000").toString());
        for (String bad : List.of("localhost", ":10000", "host:", "host:port", "host:0", "host:70000")) {
            assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse(bad), bad);
        }
    }

    @Test
    void theBuilderInsistsOnAKeyAndSeedsAndSaneLimits() {
        assertThrows(IllegalArgumentException.class, () -> MemDbConnections.builder().seeds(List.of("h:1")).build());
        assertThrows(IllegalArgumentException.class, () -> MemDbConnections.builder().authKey("k").build());
        assertThrows(IllegalArgumentException.class, () -> MemDbConnections.cluster("k", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> MemDbConnections.builder().authKey("k").seeds(List.of("h:1")).requestTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> MemDbConnections.builder().authKey("k").seeds(List.of("h:1")).inFlightRequestsMax(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> MemDbConnections.builder().authKey("k").seeds(List.of("h:1")).node("h", 2).build());
        assertThrows(IllegalArgumentException.class, () -> MemDbConnections.builder().authKey("k").seeds(List.of("h:1"))
                .clusterRefreshInterval(Duration.ZERO).build());
    }

    @Test
    void theMostUpToDateAnswerIsTheHighestTimestampWithNodeIdBreakingTies() {
        QuorumResult<String> result = new QuorumResult<>(List.of(
                new ReplicaResponse<>(A, ValueState.PRESENT, new Timestamp(7, 1), "seven-at-1"),
                new ReplicaResponse<>(B, ValueState.PRESENT, new Timestamp(7, 2), "seven-at-2"),
                new ReplicaResponse<>(C, ValueState.ABSENT, Timestamp.ZERO, null)));
        assertEquals("seven-at-2", result.mostUptoDateResponse());
        QuorumResult<String> deleted = new QuorumResult<>(List.of(
                new ReplicaResponse<>(A, ValueState.PRESENT, new Timestamp(7, 1), "v"),
                new ReplicaResponse<>(B, ValueState.TOMBSTONE, new Timestamp(8, 2), null)));
        assertNull(deleted.mostUptoDateResponse());
    }

    @Test
    void theClockOnlyMovesForward() {
        ClientClock clock = new ClientClock();
        clock.observe(10);
        clock.observe(3);
        assertEquals(10, clock.highestSeen());
    }
}
