package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import memdb.protocol.Envelope;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client carries the highest Lamport time it has seen into every request (DESIGN §3). */
class LamportTest {
    private final FakeCluster cluster = new FakeCluster(2, 2, 16);
    private final FakeNode ahead = cluster.node(1);
    private final FakeNode behind = cluster.node(2);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void theHighestTimeSeenTravelsWithTheNextRequest() {
        ahead.advanceClock(1_000);
        try (MemDb db = MemDbConnections.single("127.0.0.1", ahead.port(), "secret")) {
            assertEquals(0, db.lamportTime());
            db.get("k");
            long seen = db.lamportTime();
            assertTrue(seen > 1_000, "seen " + seen);
            db.get("k");
            Envelope last = ahead.dataRequests().get(1);
            assertEquals(seen, last.lamport());
        }
    }

    @Test
    void aWriteToALaggingNodeIsOrderedAfterWhatTheClientRead() {
        ahead.put("k", "read first", 5_000);
        ahead.advanceClock(5_000);
        cluster.markDown(ahead.nodeId); // the quorum read still asks both replicas; the write goes to the lagging one
        try (MemDb db = cluster.client().build()) {
            QuorumResult<String> read = db.quorumGet("k").awaitAll(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals("read first", read.mostUptoDateResponse());
            db.set("k", "written after");
            Timestamp stamped = behind.stored("k").timestamp();
            assertTrue(stamped.isAfter(read.mostUptoDate().timestamp()), "the lagging node stamped the write " + stamped);
            assertEquals("written after", db.quorumGet("k").awaitAll(5, TimeUnit.SECONDS).orElseThrow().mostUptoDateResponse());
        }
    }

    @Test
    void theTimeSeenNeverGoesBackwards() {
        ahead.advanceClock(700);
        try (MemDb db = cluster.client().build()) {
            long highest = 0;
            for (int i = 0; i < 10; i++) {
                db.get("k");
                assertTrue(db.lamportTime() >= highest);
                highest = db.lamportTime();
            }
            assertTrue(highest > 700);
        }
    }
}
