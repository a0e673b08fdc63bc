package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import memdb.crdt.PnCounter;
import memdb.protocol.CounterMessages;
import memdb.protocol.InvalidArgumentException;
import memdb.protocol.MemDbTimeoutException;
import memdb.protocol.Opcode;
import memdb.protocol.Timestamp;
import memdb.protocol.UnavailableException;
import org.junit.jupiter.api.Test;

/** The client's counter calls against fake nodes: retries keep the operation id, quorum reads merge. */
class CounterClientTest extends SingleFakeNodeTest {
    CounterClientTest() {
        super(node -> MemDbConnections.builder().authKey(FakeCluster.AUTH_KEY).node("127.0.0.1", node.port()).build());
    }

    private List<CounterMessages.Add> adds() {
        return node.dataRequests().stream().filter(e -> e.opcode() == Opcode.COUNTER_ADD)
                .map(e -> (CounterMessages.Add) e.message()).toList();
    }

    @Test
    void incrementAndDecrementReturnTheValue() {
        assertEquals(1, db.increment("hits"));
        assertEquals(11, db.increment("hits", 10));
        assertEquals(10, db.decrement("hits"));
        assertEquals(3, db.decrement("hits", 7));
        assertEquals(3, db.getCounter("hits"));
        assertEquals(0, db.getCounter("never"));
        assertEquals(5L, db.incrementAsync("hits", 2).thenCompose(v -> db.getCounterAsync("hits")).join());
    }

    @Test
    void aRetryReusesTheOperationIdAndIsCountedOnce() {
        node.counterAddsToTimeOut.set(2); // the first two attempts are counted, then answered TIMEOUT
        assertEquals(5, db.increment("c", 5));
        List<CounterMessages.Add> adds = adds();
        assertEquals(3, adds.size(), "three attempts");
        assertEquals(1, adds.stream().map(CounterMessages.Add::operationId).distinct().count(), "one operation id");
        assertEquals(5, db.getCounter("c"));
        db.increment("c");
        assertEquals(2, adds().stream().map(CounterMessages.Add::operationId).distinct().count(), "a new call, a new id");
    }

    /** Refused attempts counted nothing: the next takes a new id (another leader on the nodes), counted once. */
    @Test
    void anAttemptRefusedBeforeCountingIsRetriedWithANewId() {
        node.counterAddsToRefuse.set(2);
        assertEquals(4, db.increment("r", 4));
        List<CounterMessages.Add> adds = adds();
        assertEquals(3, adds.size(), "three attempts");
        assertEquals(3, adds.stream().map(CounterMessages.Add::operationId).distinct().count(), "a new id after each refusal");
        assertEquals(4, db.getCounter("r"));
    }

    /** Refusals that counted nothing have their own, larger budget: a down leader picked by several ids in a row. */
    @Test
    void refusalsBeforeCountingOutlastTheAttemptBudgetAndThenGiveUp() {
        node.counterAddsToRefuse.set(MemDbClient.COUNTER_REFUSALS_MAX - 1);
        assertEquals(5, db.increment("many", 5));
        assertEquals(MemDbClient.COUNTER_REFUSALS_MAX, adds().size());
        assertEquals(5, db.getCounter("many"));

        node.counterAddsToRefuse.set(MemDbClient.COUNTER_REFUSALS_MAX);
        int before = adds().size();
        assertThrows(UnavailableException.class, () -> db.increment("never", 1));
        assertEquals(MemDbClient.COUNTER_REFUSALS_MAX, adds().size() - before, "then it gives up");
        assertEquals(0, db.getCounter("never"));
    }

    /** Once an attempt may have counted, the id is kept; its leader then unreachable: the outcome is unknown. */
    @Test
    void aRefusalAfterAnUnknownAttemptKeepsTheIdAndEndsUnknown() {
        node.counterAddScript.addAll(List.of(memdb.protocol.ErrorCode.TIMEOUT, memdb.protocol.ErrorCode.UNAVAILABLE,
                memdb.protocol.ErrorCode.UNAVAILABLE));
        MemDbTimeoutException unknown = assertThrows(MemDbTimeoutException.class, () -> db.increment("u", 2));
        assertEquals(memdb.protocol.ErrorCode.UNKNOWN_OUTCOME, unknown.code(), unknown::getMessage);
        assertEquals(1, adds().stream().map(CounterMessages.Add::operationId).distinct().count(), "one operation id");
        assertEquals(2, db.getCounter("u"), "counted once, by the first attempt");
    }

    @Test
    void retriesGiveUpAfterTheLastAttempt() {
        node.counterAddsToTimeOut.set(MemDbClient.COUNTER_ATTEMPTS_MAX);
        assertThrows(MemDbTimeoutException.class, () -> db.increment("c", 1));
        assertEquals(1, db.getCounter("c"), "counted once although every attempt failed");
    }

    @Test
    void decrementingByTheSmallestLongIsRefused() {
        CompletableFuture<Long> refused = db.decrementAsync("c", Long.MIN_VALUE);
        assertInstanceOf(InvalidArgumentException.class, refused.handle((v, e) -> e).join());
    }

    @Test
    void aQuorumReadMergesTheReplicas() {
        try (FakeCluster cluster = new FakeCluster(3, 3, 8);
             MemDb clustered = MemDbConnections.cluster(FakeCluster.AUTH_KEY, cluster.seeds())) {
            PnCounter a = PnCounter.EMPTY.add(1, 1, 10);
            PnCounter b = a.add(2, 2, 5); // has seen a's slot too
            PnCounter c = PnCounter.EMPTY.add(3, 3, -1);
            cluster.node(1).putCounter("hits", a);
            cluster.node(2).putCounter("hits", b);
            cluster.node(3).putCounter("hits", c);
            CounterQuorumResult all = clustered.getQuorumCounter("hits").awaitAll(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals(14, all.mostUptoDateResponseAsLong());
            assertEquals(14, all.mostUptoDateResponseAsInt());
            assertEquals(3, all.responses().size());
            CounterQuorumResponse quorum = clustered.getQuorumCounter("hits");
            assertEquals(3, quorum.replicaCount());
            long value = quorum.awaitQuorum(5, TimeUnit.SECONDS).orElseThrow().mostUptoDateResponseAsLong();
            assertEquals(true, List.of(9L, 14L, 15L).contains(value), "two of the three merged: " + value);
        }
    }

    @Test
    void anIntResultThatDoesNotFitThrows() {
        PnCounter big = PnCounter.EMPTY.add(1, 1, Long.MAX_VALUE / 2);
        CounterQuorumResult result = new CounterQuorumResult(List.of(new ReplicaResponse<>(
                new NodeAddress("127.0.0.1", 1), memdb.protocol.Responses.ValueState.PRESENT, Timestamp.ZERO, big)));
        assertThrows(ArithmeticException.class, result::mostUptoDateResponseAsInt);
    }
}
