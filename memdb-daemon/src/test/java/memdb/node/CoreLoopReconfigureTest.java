package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import memdb.clock.LamportClock;
import memdb.oplog.FsyncPolicy;
import memdb.protocol.Consistency;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Opcode;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live settings handed to the core loop ({@link CoreLoop#reconfigure}): the slow-request log and the default consistency. */
class CoreLoopReconfigureTest {
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger slowLog = Logger.getLogger(SlowRequestLog.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final RecordingOpLog opLog = new RecordingOpLog(true);
    private CoreLoop loop;

    @BeforeEach
    void start() {
        slowLog.addHandler(capture);
        NodeCore core = SingleNode.core(new LamportClock(1, 0), new Store(), opLog, 1000);
        loop = new CoreLoop(core, opLog, PeerSender.NONE, CoreLoop.monotonicMs(), 100, "test-core");
        loop.start();
    }

    @AfterEach
    void stop() {
        opLog.completeCommits();
        loop.close();
        slowLog.removeHandler(capture);
    }

    private static LiveSettings settings(long slowRequestMs, Consistency write) {
        return new LiveSettings(FsyncPolicy.NO, 0, 60, write, Consistency.ONE, LogLevel.INFO, slowRequestMs);
    }

    /** Sends a SET whose commit is held {@code holdMs} before it completes; returns its reply. */
    private Envelope slowSet(int id, String key, Consistency consistency, long holdMs) throws InterruptedException {
        CoreLoopTest.RecordingConnection connection = new CoreLoopTest.RecordingConnection();
        Requests.Set set = new Requests.Set(Key.of(key), new byte[] {1}, consistency);
        loop.submit(connection, Envelope.request(id, 0, set), set);
        opLog.awaitCommits(1);
        Thread.sleep(holdMs);
        opLog.completeCommits();
        return connection.nextBatch().get(0);
    }

    @Test
    void requestsSlowerThanTheThresholdAreLoggedWithoutTheirKey() throws Exception {
        slowSet(1, "secret-key-1", Consistency.DEFAULT, 30);
        assertTrue(logged.isEmpty(), "0 = off: " + logged);

        loop.reconfigure(settings(20, Consistency.QUORUM)).get(5, TimeUnit.SECONDS);
        slowSet(2, "secret-key-2", Consistency.DEFAULT, 40);
        assertEquals(1, logged.size(), logged.toString());
        String line = logged.get(0);
        assertTrue(line.startsWith("slow request: SET id 2, key 12 bytes, "), line);
        assertTrue(line.endsWith(" ms, ok"), line);
        assertTrue(!line.contains("secret"), "never the key itself");
    }

    @Test
    void theDefaultWriteConsistencyChangesForTheRequestsThatFollow() {
        // Two nodes, N capped at 2; node 2 never answers. Under ONE the local write is enough; under ALL it is not.
        NodeCore core = SingleNode.core(new LamportClock(1, 0), new Store(), memdb.oplog.OpLog.none(), 1000);
        List<Object> replies = new CopyOnWriteArrayList<>();
        memdb.replication.Outbox outbox = new memdb.replication.Outbox() {
            public void reply(Object replyTo, memdb.protocol.Response response) { replies.add(response); }

            public void send(int nodeId, long correlationId, memdb.protocol.Request r) {}

            public void sendToAddress(String address, long correlationId, memdb.protocol.Request r) {}
        };
        // Node 2 answered one gossip round (so this node is not catching up with the membership), then went silent.
        core.onPeerResponse(2, 0, 0, new memdb.protocol.ClusterResponses.GossipAck(List.of(
                new memdb.protocol.Member(2, "127.0.0.1", 10001, 1, 0, memdb.protocol.Member.Status.NORMAL, true))), 0, outbox);
        core.setDefaultConsistency(Consistency.ONE, Consistency.ONE);
        core.onRequest("a", new Requests.Set(Key.of("k"), new byte[] {1}, Consistency.DEFAULT), 0, 0, outbox);
        assertEquals(1, replies.size(), "ONE: acknowledged by this replica alone");
        core.setDefaultConsistency(Consistency.ALL, Consistency.ONE);
        core.onRequest("b", new Requests.Set(Key.of("k"), new byte[] {2}, Consistency.DEFAULT), 0, 0, outbox);
        assertEquals(1, replies.size(), "ALL: waits for node 2");
        core.onRequest("c", new Requests.Set(Key.of("k"), new byte[] {3}, Consistency.ONE), 0, 0, outbox);
        assertEquals(2, replies.size(), "a request naming its level keeps it");
    }

    @Test
    void theLogLineNamesOpcodeKeyLengthTimeAndOutcome() {
        assertEquals("slow request: GET id 9, key 3 bytes, 1.5 ms, ok",
                SlowRequestLog.line(Opcode.GET, 9, 3, 1_500_000, new Responses.Ok()));
        assertEquals("slow request: PING id 1, 250.0 ms, error TIMEOUT",
                SlowRequestLog.line(Opcode.PING, 1, SlowRequestLog.NO_KEY, 250_000_000, new Responses.Error(ErrorCode.TIMEOUT, "t")));
    }
}
