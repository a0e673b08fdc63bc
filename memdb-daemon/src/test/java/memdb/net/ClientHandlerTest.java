package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import memdb.clock.LamportClock;
import memdb.node.CoreLoop;
import memdb.node.PeerSender;
import memdb.node.SingleNode;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Envelope;
import memdb.protocol.EnvelopeDecoder;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client pipeline's inbound half on Netty's EmbeddedChannel: deterministic, no sockets or threads. */
class ClientHandlerTest {
    private static final String KEY = "k3y";

    /** A loop that is never started: what is submitted stays queued, so its capacity can be filled. */
    private final CoreLoop loop = new CoreLoop(SingleNode.core(new LamportClock(1, 0), new Store(), OpLog.none(), 100),
            OpLog.none(), PeerSender.NONE, CoreLoop.monotonicMs(), 1, "unused");
    private final FlowControl flow = new FlowControl(1024, "client");
    private final EmbeddedChannel channel = new EmbeddedChannel(
            flow, new EnvelopeDecoder(1024), new ClientHandler(new Session(KEY, 1, "test"), loop, flow, () -> {}));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        loop.close();
    }

    private void receive(int requestId, memdb.protocol.Request request) {
        channel.writeInbound(Unpooled.wrappedBuffer(WireClient.encode(Envelope.request(requestId, 0, request))));
    }

    private Envelope reply() {
        if (channel.isOpen()) channel.flushOutbound(); // replies that close the channel were flushed already
        return channel.readOutbound();
    }

    private void authenticate() {
        receive(1, new Requests.Auth(KEY.getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(Responses.Authenticated.class, reply().message());
    }

    @Test
    void aFullCoreQueueIsAnsweredWithOverloaded() {
        authenticate();
        receive(2, new Requests.Ping());
        assertNull(reply(), "accepted: the core will answer it");
        receive(3, new Requests.Ping());
        Envelope refused = reply();
        assertEquals(3, refused.requestId());
        assertTrue(refused.isError());
        assertEquals(ErrorCode.OVERLOADED, ((Responses.Error) refused.message()).code());
        assertTrue(channel.isActive(), "overload does not close the connection");
    }

    /**
     * A wrong key's answer waits for the AuthThrottle's delay; meanwhile nothing is read, and back-pressure
     * (FlowControl, the one owner of the read switch) cannot switch reading back on.
     */
    @Test
    void aWrongKeyIsAnsweredAfterTheDelayAndNothingIsReadMeanwhile() {
        channel.freezeTime();
        receive(1, new Requests.Auth("wrong".getBytes(StandardCharsets.UTF_8)));
        assertNull(reply(), "not answered yet");
        assertFalse(channel.config().isAutoRead(), "nothing is read while the answer waits");
        flow.repliesOut(0); // as a reply to an earlier request going out would
        channel.pipeline().fireChannelWritabilityChanged();
        assertFalse(channel.config().isAutoRead(), "back-pressure does not switch reading back on");
        channel.advanceTimeBy(memdb.auth.AuthThrottle.DELAY_MS_FIRST, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        Envelope refused = reply();
        assertEquals(ErrorCode.AUTH_FAILED, ((Responses.Error) refused.message()).code());
        assertFalse(channel.isOpen(), "then the connection closes");
    }

    @Test
    void aFrameSplitIntoSingleBytesIsDecodedAsOne() {
        byte[] frame = WireClient.encode(Envelope.request(1, 0, new Requests.Auth(KEY.getBytes(StandardCharsets.UTF_8))));
        for (byte b : frame) channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        assertInstanceOf(Responses.Authenticated.class, reply().message());
    }

    @Test
    void aBadFrameIsAnsweredAndClosesOnlyThisChannel() {
        authenticate();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 16, 0x00, 1, 2, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0}));
        Envelope error = reply();
        assertTrue(error.isError());
        assertEquals(ErrorCode.MALFORMED_FRAME, ((Responses.Error) error.message()).code());
        channel.runPendingTasks();
        assertFalse(channel.isActive());
    }

    @Test
    void aResponseFrameFromAClientIsMalformedAndCloses() {
        authenticate();
        channel.writeInbound(Unpooled.wrappedBuffer(WireClient.encode(Envelope.response(memdb.protocol.Opcode.PING, 5, 0, new Responses.Ok()))));
        Envelope error = reply();
        assertEquals(5, error.requestId());
        assertEquals(ErrorCode.MALFORMED_FRAME, ((Responses.Error) error.message()).code());
        channel.runPendingTasks();
        assertFalse(channel.isActive());
    }

    @Test
    void readingPausesOnceMaxPendingRequestsAreInFlightAndTheyAreNotRefused() {
        CoreLoop roomy = new CoreLoop(SingleNode.core(new LamportClock(1, 0), new Store(), OpLog.none(), 100),
                OpLog.none(), PeerSender.NONE, CoreLoop.monotonicMs(), 100, "unused");
        FlowControl twoInFlight = new FlowControl(2, "client");
        EmbeddedChannel pipelining = new EmbeddedChannel(
                twoInFlight, new EnvelopeDecoder(1024), new ClientHandler(new Session(KEY, 1, "test"), roomy, twoInFlight, () -> {}));
        pipelining.writeInbound(Unpooled.wrappedBuffer(WireClient.encode(Envelope.request(1, 0, new Requests.Auth(KEY.getBytes(StandardCharsets.UTF_8))))));
        pipelining.writeInbound(Unpooled.wrappedBuffer(WireClient.encode(Envelope.request(2, 0, new Requests.Ping()))));
        assertTrue(pipelining.config().isAutoRead(), "one request in flight: still reading");
        pipelining.writeInbound(Unpooled.wrappedBuffer(WireClient.encode(Envelope.request(3, 0, new Requests.Ping()))));
        assertFalse(pipelining.config().isAutoRead(), "two in flight: reading pauses");
        assertEquals(2, twoInFlight.pending());
        pipelining.flushOutbound();
        Envelope authenticated = pipelining.readOutbound();
        assertInstanceOf(Responses.Authenticated.class, authenticated.message());
        assertNull(pipelining.readOutbound(), "nothing refused: the client is slowed, not dropped");
        assertTrue(pipelining.isActive());
        pipelining.finishAndReleaseAll();
        roomy.close();
    }

    /**
     * A client that pipelines writes and hangs up: the frames decoded after the channel went inactive still
     * reach the core, whose rule it is to apply the writes and skip the reads (CoreLoopTest); the same on the
     * RESP port (RespHandlerTest).
     */
    @Test
    void framesDecodedAfterTheClientHungUpStillGoToTheCore() throws Exception {
        Store store = new Store();
        CoreLoop roomy = new CoreLoop(SingleNode.core(new LamportClock(1, 0), store, OpLog.none(), 100),
                OpLog.none(), PeerSender.NONE, CoreLoop.monotonicMs(), 100, "unused");
        FlowControl hungUpFlow = new FlowControl(1024, "client");
        EmbeddedChannel hungUp = new EmbeddedChannel(hungUpFlow, new EnvelopeDecoder(1024), new HangUp(2),
                new ClientHandler(new Session(KEY, 1, "test"), roomy, hungUpFlow, () -> {}));
        io.netty.buffer.ByteBuf burst = Unpooled.buffer();
        burst.writeBytes(WireClient.encode(Envelope.request(1, 0, new Requests.Auth(KEY.getBytes(StandardCharsets.UTF_8)))));
        burst.writeBytes(WireClient.encode(Envelope.request(2, 0, set("a")))); // the channel closes as this one passes
        burst.writeBytes(WireClient.encode(Envelope.request(3, 0, set("b"))));
        burst.writeBytes(WireClient.encode(Envelope.request(4, 0, new Requests.Get(Key.of("a"), Consistency.ONE))));
        hungUp.writeInbound(burst);
        assertFalse(hungUp.isActive());
        assertEquals(3, hungUpFlow.pending(), "both SETs and the GET went to the core");
        hungUp.finishAndReleaseAll();
        roomy.start();
        try {
            for (String key : new String[] {"a", "b"}) {
                Responses.Value value = (Responses.Value) roomy.query(core -> SingleNode.handle(core,
                        new Requests.Get(Key.of(key), Consistency.ONE), 0)).get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(value.isPresent(), "the write to " + key + " was applied");
            }
        } finally {
            roomy.close();
        }
    }

    private static Requests.Set set(String key) {
        return new Requests.Set(Key.of(key), new byte[] {1}, Consistency.DEFAULT);
    }
}
