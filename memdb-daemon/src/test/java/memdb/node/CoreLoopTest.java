package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import memdb.clock.LamportClock;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoreLoopTest {
    /** A connection that records each batch of replies it is sent, and the thread that sent it. */
    static class RecordingConnection implements Connection {
        final BlockingQueue<List<Envelope>> batches = new LinkedBlockingQueue<>();
        final BlockingQueue<Thread> senders = new LinkedBlockingQueue<>();

        @Override
        public void send(ReplyBatch replies) {
            senders.add(Thread.currentThread());
            batches.add(replies.envelopes());
        }

        List<Envelope> nextBatch() throws InterruptedException {
            List<Envelope> batch = batches.poll(5, TimeUnit.SECONDS);
            assertNotNull(batch, "no replies within 5 s");
            return batch;
        }
    }

    private RecordingOpLog opLog = new RecordingOpLog(false);
    private CoreLoop loop;

    private CoreLoop newLoop(int pendingRequestsMax) {
        NodeCore core = SingleNode.core(new LamportClock(1, 0), new Store(), opLog, 1000);
        loop = new CoreLoop(core, opLog, PeerSender.NONE, CoreLoop.monotonicMs(), pendingRequestsMax, "test-core");
        return loop;
    }

    @AfterEach
    void closeLoop() {
        if (loop != null) loop.close();
    }

    private static CoreLoop.Submission submit(CoreLoop loop, Connection connection, int requestId, Request request) {
        return loop.submit(connection, Envelope.request(requestId, 0, request), request);
    }

    private static Requests.Set set(String key) {
        return new Requests.Set(Key.of(key), new byte[] {1}, Consistency.DEFAULT);
    }

    @Test
    void aBatchIsCommittedOnceAndEachConnectionGetsItsRepliesInOrderWithOneSend() throws InterruptedException {
        CoreLoop loop = newLoop(100);
        RecordingConnection a = new RecordingConnection();
        RecordingConnection b = new RecordingConnection();
        submit(loop, a, 1, set("x"));
        submit(loop, b, 1, set("y"));
        submit(loop, a, 2, new Requests.Get(Key.of("x"), Consistency.ONE));
        loop.start(); // all three are queued: they form one batch

        List<Envelope> toA = a.nextBatch();
        assertEquals(List.of(1, 2), toA.stream().map(Envelope::requestId).toList());
        assertInstanceOf(Responses.Written.class, toA.get(0).message());
        assertTrue(((Responses.Value) toA.get(1).message()).isPresent());
        assertTrue(toA.get(1).isResponse());
        assertEquals(1, b.nextBatch().size());
        assertEquals(1, opLog.commits());
        assertEquals(2, opLog.entries.size());
        assertEquals(1, opLog.clockReservations);
    }

    /** A client that hung up: its reads are not run (nobody could get the answer); its writes still are. */
    @Test
    void aClosedConnectionsReadsAreSkippedAndItsWritesStillApplied() throws InterruptedException {
        CoreLoop loop = newLoop(100);
        RecordingConnection gone = new RecordingConnection() {
            @Override
            public boolean isOpen() {
                return false;
            }
        };
        submit(loop, gone, 1, new Requests.Get(Key.of("x"), Consistency.ONE));
        submit(loop, gone, 2, set("x"));
        submit(loop, gone, 3, new Requests.Contains(Key.of("x"), Consistency.ONE));
        loop.start();
        List<Envelope> replies = gone.nextBatch();
        assertEquals(List.of(2), replies.stream().map(Envelope::requestId).toList(), "only the write ran");
        assertEquals(1, opLog.entries.size());
    }

    /** A batch that answers nobody commits nothing, and still tells the log it ended (its records' wall time). */
    @Test
    void aBatchThatCommitsNothingStillEndsItsBatchInTheLog() throws Exception {
        CoreLoop loop = newLoop(100);
        loop.start();
        assertEquals(1, loop.query(core -> 1).get(5, TimeUnit.SECONDS)); // answered inside its batch
        int ended = opLog.awaitBatchesEnded(1);
        assertTrue(ended >= 1, "the query's batch ended");
        assertEquals(0, opLog.commits(), "and committed nothing");
        submit(loop, new RecordingConnection(), 1, set("x"));
        opLog.awaitCommits(1);
        List<String> events = opLog.events(); // ticks end batches too: the order shows the SET's own batch ended
        int append = events.indexOf("append");
        int commit = events.indexOf("commit");
        assertTrue(append >= 0 && commit > append, events.toString());
        assertTrue(events.subList(append, commit).contains("endBatch"), "the SET's batch ended before it committed: " + events);
    }

    @Test
    void repliesWaitUntilTheOpLogSaysTheBatchIsDurable() throws InterruptedException {
        opLog = new RecordingOpLog(true);
        CoreLoop loop = newLoop(100);
        loop.start();
        RecordingConnection connection = new RecordingConnection();
        submit(loop, connection, 9, set("x"));
        opLog.awaitCommits(1);
        assertNull(connection.batches.poll(50, TimeUnit.MILLISECONDS), "no reply before the commit");
        opLog.completeCommits();
        assertEquals(9, connection.nextBatch().get(0).requestId());
    }

    @Test
    void repliesCarryTheNodesLamportTime() throws InterruptedException {
        CoreLoop loop = newLoop(100);
        loop.start();
        RecordingConnection connection = new RecordingConnection();
        loop.submit(connection, Envelope.request(1, 500, set("x")), set("x"));
        Envelope reply = connection.nextBatch().get(0);
        assertEquals(501, reply.lamport());
        assertEquals(501, loop.lamportTime());
    }

    @Test
    void aFullQueueRefusesWithOverloaded() {
        CoreLoop loop = newLoop(2); // not started: nothing drains the queue
        RecordingConnection connection = new RecordingConnection();
        assertEquals(CoreLoop.Submission.ACCEPTED, submit(loop, connection, 1, new Requests.Ping()));
        assertEquals(CoreLoop.Submission.ACCEPTED, submit(loop, connection, 2, new Requests.Ping()));
        assertEquals(CoreLoop.Submission.OVERLOADED, submit(loop, connection, 3, new Requests.Ping()));
    }

    @Test
    void closeAnswersEverythingAcceptedThenRefusesWithShuttingDown() throws InterruptedException {
        CoreLoop loop = newLoop(2000);
        RecordingConnection connection = new RecordingConnection();
        for (int i = 0; i < 1500; i++) submit(loop, connection, i, new Requests.Ping());
        loop.start();
        loop.close();
        List<Envelope> replies = new ArrayList<>();
        for (List<Envelope> batch; (batch = connection.batches.poll()) != null; ) replies.addAll(batch);
        assertEquals(1500, replies.size());
        assertTrue(replies.stream().allMatch(r -> r.message() instanceof Responses.Ok));
        assertEquals(CoreLoop.Submission.SHUTTING_DOWN, submit(loop, connection, 1, new Requests.Ping()));
    }

    @Test
    void aBugInTheCoreIsAnsweredAsInternalAndTheLoopGoesOn() throws InterruptedException {
        CoreLoop loop = newLoop(100);
        loop.start();
        RecordingConnection connection = new RecordingConnection();
        submit(loop, connection, 1, new Requests.Auth(new byte[] {1})); // AUTH must never reach the core
        Envelope reply = connection.nextBatch().get(0);
        assertTrue(reply.isError());
        assertEquals(ErrorCode.INTERNAL, ((Responses.Error) reply.message()).code());
        submit(loop, connection, 2, new Requests.Ping());
        assertInstanceOf(Responses.Ok.class, connection.nextBatch().get(0).message());
    }

    /** Runs {@code task} on the loop's thread (as a channel read there would) and returns its result. */
    private static <T> T onLoop(CoreLoop loop, java.util.concurrent.Callable<T> task) throws Exception {
        return loop.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestHandedOverOnTheLoopThreadIsAnsweredOnThatThreadAfterTheCurrentTurn() throws Exception {
        CoreLoop loop = newLoop(100);
        loop.start();
        RecordingConnection connection = new RecordingConnection();
        Thread loopThread = onLoop(loop, Thread::currentThread);
        boolean answeredDuringSubmit = onLoop(loop, () -> {
            assertEquals(CoreLoop.Submission.ACCEPTED, submit(loop, connection, 1, set("x")));
            return !connection.batches.isEmpty();
        });
        assertTrue(!answeredDuringSubmit, "the batch runs after the turn that read the request, not inside submit");
        assertEquals(1, connection.nextBatch().get(0).requestId());
        assertEquals(loopThread, connection.senders.poll(), "the reply is sent by the loop's own thread: no hand-off");
        assertEquals(1, opLog.commits());
    }

    @Test
    void everythingHandedOverInOneTurnOfTheLoopSharesOneCommit() throws Exception {
        CoreLoop loop = newLoop(100);
        loop.start();
        RecordingConnection a = new RecordingConnection();
        RecordingConnection b = new RecordingConnection();
        onLoop(loop, () -> {
            for (int i = 0; i < 5; i++) submit(loop, i % 2 == 0 ? a : b, i, set("k" + i));
            return null;
        });
        assertEquals(3, a.nextBatch().size());
        assertEquals(2, b.nextBatch().size());
        assertEquals(1, opLog.commits(), "one round, one commit");
        assertEquals(5, opLog.entries.size());
    }

    @Test
    void moreThanBatchMaxInOneTurnIsCommittedInBatchesOfAtMostBatchMax() throws Exception {
        CoreLoop loop = newLoop(4000);
        loop.start();
        RecordingConnection connection = new RecordingConnection();
        int count = CoreLoop.BATCH_MAX + 100;
        onLoop(loop, () -> {
            for (int i = 0; i < count; i++) submit(loop, connection, i, set("k" + i));
            return null;
        });
        assertEquals(CoreLoop.BATCH_MAX, connection.nextBatch().size());
        assertEquals(100, connection.nextBatch().size());
        assertEquals(2, opLog.commits());
    }

    @Test
    void onTheLoopThreadTooAFullQueueRefusesClientsButNotQueries() throws Exception {
        CoreLoop loop = newLoop(2); // not started: nothing is fed to the core yet
        RecordingConnection connection = new RecordingConnection();
        List<CoreLoop.Submission> submissions = onLoop(loop, () -> List.of(
                submit(loop, connection, 1, new Requests.Ping()), submit(loop, connection, 2, new Requests.Ping()),
                submit(loop, connection, 3, new Requests.Ping())));
        assertEquals(List.of(CoreLoop.Submission.ACCEPTED, CoreLoop.Submission.ACCEPTED, CoreLoop.Submission.OVERLOADED), submissions);
        java.util.concurrent.CompletableFuture<Long> answer = loop.query(NodeCore::lamportTime); // never refused
        loop.start();
        assertEquals(0L, answer.get(5, TimeUnit.SECONDS));
        assertEquals(2, connection.nextBatch().size());
        assertEquals(CoreLoop.Submission.ACCEPTED, onLoop(loop, () -> submit(loop, connection, 4, new Requests.Ping())),
                "room again once the batch ran");
    }

    @Test
    void closeAnswersWhatTheLoopThreadAcceptedAndThenItsSubmitsAreRefused() throws Exception {
        opLog = new RecordingOpLog(false);
        CoreLoop loop = newLoop(100);
        loop.start();
        RecordingConnection connection = new RecordingConnection();
        java.util.concurrent.CountDownLatch accepted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
        // The loop thread accepts a request, then is held until close() has begun on this thread.
        loop.eventLoop().execute(() -> {
            submit(loop, connection, 1, set("x"));
            accepted.countDown();
            awaitQuietly(closing);
        });
        accepted.await();
        Thread closer = new Thread(loop::close);
        closer.start();
        while (loop.submit(connection, Envelope.request(9, 0, new Requests.Ping()), new Requests.Ping()) != CoreLoop.Submission.SHUTTING_DOWN) {
            Thread.onSpinWait();
        }
        closing.countDown();
        closer.join(5_000);
        assertTrue(!closer.isAlive());
        List<Envelope> replies = new ArrayList<>();
        for (List<Envelope> batch; (batch = connection.batches.poll()) != null; ) replies.addAll(batch);
        assertEquals(List.of(1), replies.stream().map(Envelope::requestId).filter(id -> id != 9).toList(),
                "the request accepted before close was answered");
        assertInstanceOf(Responses.Written.class, replies.stream().filter(r -> r.requestId() == 1).findFirst().orElseThrow().message());
    }

    /**
     * One clock read per read from a connection: a request that follows one from the same connection in the batch
     * being gathered shares its arrival time (its latency counts from the first); another connection's is its own;
     * and a new batch reads the clock again, even for the connection that came last in the one before. A batch's
     * latencies are all taken at one instant, so their differences are the differences of the arrivals: exact,
     * whatever else delays the batch.
     */
    @Test
    void requestsInARowFromOneConnectionShareTheirArrivalTime() throws InterruptedException {
        CoreLoop loop = newLoop(100);
        memdb.admin.RequestMetrics metrics = new memdb.admin.RequestMetrics();
        loop.recordRequestsInto(metrics);
        loop.start();
        RecordingConnection a = new RecordingConnection();
        RecordingConnection b = new RecordingConnection();
        RecordingConnection c = new RecordingConnection();
        loop.eventLoop().execute(() -> {
            submit(loop, a, 1, set("x"));
            sleepQuietly(40);
            submit(loop, a, 2, new Requests.Get(Key.of("x"), Consistency.ONE)); // the same read as the SET
            submit(loop, b, 1, new Requests.Contains(Key.of("x"), Consistency.ONE)); // another connection
        });
        assertEquals(2, a.nextBatch().size());
        assertEquals(1, b.nextBatch().size());
        Map<String, Double> first = meanLatenciesMs(metrics, 3);
        assertTrue(first.get("get") - first.get("contains") >= 40, "the GET shares the SET's arrival, 40 ms before the CONTAINS: " + first);
        Thread.sleep(40);
        loop.eventLoop().execute(() -> {
            submit(loop, b, 2, new Requests.Delete(Key.of("y"), Consistency.DEFAULT)); // b came last in the batch before
            submit(loop, c, 1, new Requests.Ping());
        });
        assertEquals(1, b.nextBatch().size());
        assertEquals(1, c.nextBatch().size());
        Map<String, Double> second = meanLatenciesMs(metrics, 5);
        assertTrue(second.get("delete") - second.get("ping") < 40, "a new batch reads the clock again: " + second);
    }

    /** The mean latency of each operation in ms, once {@code operations} of them have been recorded (just after the replies are sent). */
    private static Map<String, Double> meanLatenciesMs(memdb.admin.RequestMetrics metrics, int operations) throws InterruptedException {
        Map<String, Double> meanMs = new java.util.HashMap<>();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); meanMs.size() < operations && System.nanoTime() < deadline; ) {
            Thread.sleep(5);
            meanMs.clear();
            for (memdb.admin.RequestMetrics.OperationStats s : metrics.snapshot()) meanMs.put(s.op(), s.latencySumSeconds() * 1000 / s.latencyCount());
        }
        assertEquals(operations, meanMs.size(), "operations recorded within 5 s: " + meanMs);
        return meanMs;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
