package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import memdb.protocol.Consistency;
import memdb.protocol.Requests;
import memdb.protocol.Responses.ValueState;
import memdb.protocol.Timestamp;
import memdb.protocol.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quorum reads against the two replicas of a two-node cluster (N = 2), which hold different versions of a key. */
class QuorumTest {
    private final FakeCluster cluster = new FakeCluster(2, 2, 16);
    private final FakeNode older = cluster.node(1);
    private final FakeNode newer = cluster.node(2);
    private final MemDb db = MemDbConnections.cluster(FakeCluster.AUTH_KEY, cluster.seeds());

    @AfterEach
    void tearDown() {
        db.close();
        cluster.close();
    }

    @Test
    void theMostUpToDateResponseIsTheValueWithTheHighestTimestamp() {
        older.put("k", "old", 5);
        newer.put("k", "new", 9);
        QuorumResult<String> result = db.quorumGet("k").awaitAll(5, TimeUnit.SECONDS).orElseThrow();
        assertEquals("new", result.mostUptoDateResponse());
        assertEquals(new Timestamp(9, 2), result.mostUptoDate().timestamp());
        assertEquals(Set.of(older.seed(), newer.seed()),
                result.responses().stream().map(r -> r.node().toString()).collect(Collectors.toSet()));
        assertEquals(Set.of("old", "new"), result.responses().stream().map(ReplicaResponse::value).collect(Collectors.toSet()));
    }

    @Test
    void theNewestTimestampWinsWhicheverNodeHoldsIt() {
        older.put("k", "newest", 20);
        newer.put("k", "older", 3);
        byte[] newest = db.quorumGetBytes("k").awaitQuorum(5, TimeUnit.SECONDS).orElseThrow().mostUptoDateResponse();
        assertEquals("newest", new String(newest, StandardCharsets.UTF_8));
    }

    @Test
    void aNewerTombstoneMeansDeleted() {
        older.put("k", "was here", 5);
        newer.putTombstone("k", 7);
        QuorumResult<String> result = db.quorumGet("k").awaitAll(5, TimeUnit.SECONDS).orElseThrow();
        assertNull(result.mostUptoDateResponse());
        assertEquals(ValueState.TOMBSTONE, result.mostUptoDate().state());
        assertEquals(1, result.responses().stream().filter(ReplicaResponse::isPresent).count());
    }

    @Test
    void aKeyAbsentEverywhereReadsAsNull() {
        QuorumResult<String> result = db.quorumGet("nothing").awaitAll(5, TimeUnit.SECONDS).orElseThrow();
        assertNull(result.mostUptoDateResponse());
        assertTrue(result.responses().stream().allMatch(r -> r.state() == ValueState.ABSENT));
    }

    @Test
    void tooFewAnswersInTimeGiveAnEmptyOptional() {
        older.put("k", "v", 1);
        newer.silent = true;
        QuorumResponse<String> response = db.quorumGet("k");
        assertEquals(2, response.replicaCount());
        long start = System.nanoTime();
        assertEquals(Optional.empty(), response.awaitAll(300, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(290));
        assertEquals("v", response.await(1, 5, TimeUnit.SECONDS).orElseThrow().mostUptoDateResponse());
        assertEquals(Optional.empty(), response.awaitQuorum(50, TimeUnit.MILLISECONDS), "a majority of 2 is 2");
    }

    @Test
    void aReplicaThatIsDownEndsTheWaitEarlyAndSaysWhy() {
        try (FakeCluster partly = new FakeCluster(1, 2, 16);
             MemDb partial = MemDbConnections.cluster(FakeCluster.AUTH_KEY, partly.seeds())) {
            partly.node(1).put("k", "v", 1);
            NodeAddress down = partly.addUnreachableMember(9);
            QuorumResponse<String> response = partial.quorumGet("k");
            assertEquals(2, response.replicaCount());
            long start = System.nanoTime();
            assertFalse(response.awaitAll(10, TimeUnit.SECONDS).isPresent());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "no need to wait out the timeout");
            assertTrue(response.failures().get(down) instanceof UnavailableException);
            assertEquals("v", response.await(1, 1, TimeUnit.SECONDS).orElseThrow().mostUptoDateResponse());
        }
    }

    @Test
    void replicasAreAskedDirectlyAtConsistencyOne() {
        db.quorumGet("k").awaitAll(5, TimeUnit.SECONDS).orElseThrow();
        for (FakeNode node : List.of(older, newer)) {
            Requests.Get get = (Requests.Get) node.dataRequests().get(0).message();
            assertEquals(Consistency.ONE, get.consistency());
        }
    }

    @Test
    void waitingForMoreReplicasThanExistIsAProgrammingError() {
        QuorumResponse<String> response = db.quorumGet("k");
        assertThrows(IllegalArgumentException.class, () -> response.await(3, 1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> response.await(0, 1, TimeUnit.SECONDS));
    }
}
