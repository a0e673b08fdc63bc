package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import memdb.auth.AuthThrottle;
import memdb.clock.LamportClock;
import memdb.net.FlowControl;
import memdb.node.Connection;
import memdb.node.ReplyBatch;
import memdb.node.CoreLoop;
import memdb.node.NodeCore;
import memdb.node.SingleNode;
import memdb.oplog.OpLog;
import memdb.protocol.Consistency;
import memdb.protocol.Envelope;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RESP pipeline (decoder, handler, encoder) on Netty's EmbeddedChannel, over a real single-node core. */
class RespHandlerTest {
    private static final String KEY = "s3cret";
    private static final int PENDING_MAX = 8;
    private static final String AUTH = "*2\r\n$4\r\nAUTH\r\n$6\r\ns3cret\r\n";

    /** Answers each request from a real core, at once or (when holding) when the test releases it. */
    private static final class Core implements RequestSink {
        final NodeCore node = SingleNode.core(new LamportClock(1, 0), new Store(), OpLog.none(), 1024);
        final List<Runnable> held = new ArrayList<>();
        boolean holding;
        CoreLoop.Submission refuseWith;
        int submitted;

        @Override
        public CoreLoop.Submission submit(Connection connection, int requestId, long lamport, Request request) {
            if (refuseWith != null) return refuseWith;
            submitted++;
            Response response = SingleNode.handle(node, request, lamport);
            Runnable answer = () -> connection.send(ReplyBatch.of(request.opcode(), requestId, 1, response));
            if (holding) held.add(answer);
            else answer.run();
            return CoreLoop.Submission.ACCEPTED;
        }

        @Override
        public long lamportTime() {
            return 0;
        }
    }

    private final Core core = new Core();
    private final EmbeddedChannel channel = newChannel();

    /** A channel whose wrong keys are answered at once (the slow-down has its own test). */
    private EmbeddedChannel newChannel() {
        return newChannel(new AuthThrottle(0, 0, 60_000, 16));
    }

    private EmbeddedChannel newChannel(AuthThrottle throttle) {
        ServerFacts facts = new ServerFacts("test", 1, 6380, "everysec", 100, 0);
        FlowControl flow = new FlowControl(PENDING_MAX, "resp");
        RespHandler handler = new RespHandler(new RespSession(KEY, facts, 7, () -> 5_000), core, flow, throttle);
        return new EmbeddedChannel(new RespEncoder(), flow, new RespDecoder(4096, handler::command), handler);
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    /** Sends {@code input} in one read and returns everything written back. */
    private String exchange(String input) {
        return exchange(channel, input.getBytes(StandardCharsets.UTF_8));
    }

    private static String exchange(EmbeddedChannel channel, byte[] input) {
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        return output(channel);
    }

    private static String output(EmbeddedChannel channel) {
        channel.runPendingTasks();
        if (channel.isOpen()) channel.flushOutbound();
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    private static String command(String... args) {
        StringBuilder s = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) s.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        return s.toString();
    }

    @Test
    void nothingButAuthHelloAndQuitIsServedBeforeAuth() {
        assertEquals("-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n",
                exchange(command("PING") + command("GET", "k")));
        assertEquals("-NOAUTH Authentication required.\r\n", exchange(command("NOSUCH")), "even unknown commands");
        assertEquals("+OK\r\n+PONG\r\n", exchange(AUTH + "PING\r\n"));
        assertTrue(channel.isOpen());
    }

    @Test
    void aWrongKeyIsRefusedAndClosesTheConnection() {
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", exchange(command("AUTH", "nope") + command("PING")));
        assertFalse(channel.isOpen());
    }

    /**
     * As on the native port: a wrong key is answered after the AuthThrottle's delay for the address (100 ms,
     * then 200, ...), nothing is read meanwhile, and a right key clears the record.
     */
    @Test
    void repeatedWrongKeysAreAnsweredLaterAndLater() {
        AuthThrottle throttle = new AuthThrottle(100, 1_000, 60_000, 16);
        String wrongpass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
        EmbeddedChannel first = newChannel(throttle);
        first.freezeTime();
        assertEquals("", exchange(first, (command("AUTH", "nope") + command("PING")).getBytes(StandardCharsets.UTF_8)), "not yet");
        assertFalse(first.config().isAutoRead(), "nothing is read while the answer waits");
        first.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        assertEquals(wrongpass, output(first), "after 100 ms, and the PING after it is never served");
        assertFalse(first.isOpen());

        EmbeddedChannel second = newChannel(throttle);
        second.freezeTime();
        assertEquals("", exchange(second, command("HELLO", "2", "AUTH", "default", "nope").getBytes(StandardCharsets.UTF_8)));
        second.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        assertEquals("", output(second), "the second failure waits 200 ms");
        second.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        assertEquals(wrongpass, output(second));

        EmbeddedChannel right = newChannel(throttle);
        assertEquals("+OK\r\n", exchange(right, AUTH.getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, throttle.addresses(), "a right key clears the address's record");
        for (EmbeddedChannel c : List.of(first, second, right)) c.finishAndReleaseAll();
    }

    @Test
    void authAcceptsTheDefaultUserOnly() {
        assertEquals("+OK\r\n", exchange(command("AUTH", "default", KEY)));
        EmbeddedChannel other = newChannel();
        assertTrue(exchange(other, command("AUTH", "admin", KEY).getBytes(StandardCharsets.UTF_8)).startsWith("-WRONGPASS"));
        other.finishAndReleaseAll();
    }

    @Test
    void dataCommandsGoThroughTheCore() {
        exchange(AUTH);
        assertEquals("+OK\r\n$-1\r\n$2\r\nv1\r\n", exchange(command("SET", "a", "v1") + command("GET", "nope") + command("GET", "a")));
        assertEquals("+OK\r\n*3\r\n$2\r\nv1\r\n$-1\r\n$2\r\nv2\r\n",
                exchange(command("MSET", "a", "v1", "b", "v2") + command("MGET", "a", "x", "b")));
        assertEquals(":3\r\n:2\r\n:0\r\n", exchange(command("EXISTS", "a", "b", "a") + command("DEL", "a", "b", "c") + command("EXISTS", "a")));
        assertEquals("$0\r\n\r\n", exchange(command("SET", "e", "") + command("GET", "e")).substring(5));
    }

    @Test
    void valuesAreBinarySafe() {
        exchange(AUTH);
        byte[] set = "*3\r\n$3\r\nSET\r\n$3\r\nbin\r\n$4\r\n\0\r\n\377\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("+OK\r\n", exchange(channel, set));
        channel.writeInbound(Unpooled.wrappedBuffer(command("GET", "bin").getBytes(StandardCharsets.UTF_8)));
        channel.runPendingTasks();
        ByteBuf reply = channel.readOutbound();
        byte[] bytes = new byte[reply.readableBytes()];
        reply.readBytes(bytes);
        reply.release();
        assertEquals("$4\r\n\0\r\n\377\r\n", new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aPipelineSplitAtEveryByteGetsTheSameRepliesAsInOneRead() {
        String pipeline = AUTH + command("SET", "k", "hello world") + "PING\r\n" + command("GET", "k") + command("ECHO", "é")
                + command("DEL", "k") + "*0\r\n" + command("EXISTS", "k");
        String expected = "+OK\r\n+OK\r\n+PONG\r\n$11\r\nhello world\r\n$2\r\né\r\n:1\r\n:0\r\n";
        EmbeddedChannel whole = newChannel();
        assertEquals(expected, exchange(whole, pipeline.getBytes(StandardCharsets.UTF_8)));
        whole.finishAndReleaseAll();
        byte[] bytes = pipeline.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            EmbeddedChannel c = newChannel();
            String out = exchange(c, java.util.Arrays.copyOfRange(bytes, 0, split))
                    + exchange(c, java.util.Arrays.copyOfRange(bytes, split, bytes.length));
            assertEquals(expected, out, "split at byte " + split);
            c.finishAndReleaseAll();
        }
        EmbeddedChannel bytewise = newChannel();
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) out.append(exchange(bytewise, new byte[] {b}));
        assertEquals(expected, out.toString());
        bytewise.finishAndReleaseAll();
    }

    @Test
    void repliesLeaveInCommandOrderWhateverOrderTheCoreAnswersIn() {
        exchange(AUTH);
        core.holding = true;
        String out = exchange(command("SET", "a", "1") + command("MGET", "a", "b") + "PING\r\n" + command("GET", "a") + command("ECHO", "x"));
        assertEquals("", out, "nothing may overtake the SET that is still waiting");
        List<Runnable> held = new ArrayList<>(core.held);
        core.held.clear();
        Collections.reverse(held);
        for (Runnable answer : held) answer.run();
        assertEquals("+OK\r\n*2\r\n$1\r\n1\r\n$-1\r\n+PONG\r\n$1\r\n1\r\n$1\r\nx\r\n", output(channel));
    }

    /**
     * Back-pressure holds whatever the decoder makes of a read: once reading paused at max-pending-per-connection,
     * a read still under way (its commands handled, over the limit) asks for no further read. (Netty's decoder asks
     * for one more read after a read in which it passed nothing on while reading is off: a decoder that handed its
     * commands over some other way would keep reading a client that never reads its replies.)
     */
    @Test
    void whileReadingIsPausedNoFurtherReadIsAskedFor() {
        ReadRequests reads = new ReadRequests();
        EmbeddedChannel paused = newChannel(new AuthThrottle(0, 0, 60_000, 16));
        paused.pipeline().addFirst(reads);
        exchange(paused, AUTH.getBytes(StandardCharsets.UTF_8));
        core.holding = true;
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < PENDING_MAX; i++) pipeline.append(command("GET", "k" + i));
        exchange(paused, pipeline.toString().getBytes(StandardCharsets.UTF_8));
        assertFalse(paused.config().isAutoRead(), "at max-pending-per-connection: reading pauses");
        reads.asked = 0;
        exchange(paused, (command("GET", "more") + command("GET", "again")).getBytes(StandardCharsets.UTF_8));
        assertEquals(0, reads.asked, "no read is asked for while reading is paused");
        assertFalse(paused.config().isAutoRead());
        exchange(paused, "*2\r\n$3\r\nGET\r\n$4\r\npa".getBytes(StandardCharsets.UTF_8)); // part of a command, buffered
        assertEquals(0, reads.asked, "nor with part of a command buffered");
        List<Runnable> held = new ArrayList<>(core.held);
        core.held.clear();
        held.get(0).run();
        held.get(1).run();
        assertFalse(paused.config().isAutoRead(), "still at the limit (the two commands read while paused count too)");
        assertEquals(0, reads.asked);
        held.get(2).run();
        assertTrue(paused.config().isAutoRead(), "below the limit: reading resumes");
        assertTrue(reads.asked > 0, "and a read is asked for, so the rest of the buffered command can come");
        int submitted = core.submitted;
        exchange(paused, "rt\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(submitted + 1, core.submitted, "the buffered command, completed, goes to the core");
        paused.finishAndReleaseAll();
    }

    @Test
    void readingPausesAtMaxPendingCommandsAndResumesWhenTheirRepliesAreOut() {
        exchange(AUTH);
        core.holding = true;
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < PENDING_MAX - 1; i++) pipeline.append(command("GET", "k" + i));
        exchange(pipeline.toString());
        assertTrue(channel.config().isAutoRead(), "one below the limit: still reading");
        exchange(command("GET", "last"));
        assertFalse(channel.config().isAutoRead(), "at max-pending-per-connection: reading pauses, the client is not dropped");
        assertTrue(channel.isOpen());
        List<Runnable> held = new ArrayList<>(core.held);
        core.held.clear();
        held.get(0).run();
        assertEquals("$-1\r\n", output(channel));
        assertTrue(channel.config().isAutoRead(), "one reply out: reading resumes");
    }

    @Test
    void aRefusedSubmissionIsAnErrorInItsTurn() {
        exchange(AUTH);
        core.refuseWith = CoreLoop.Submission.OVERLOADED;
        assertEquals("-OVERLOADED the node is overloaded; retry later\r\n+PONG\r\n", exchange(command("GET", "a") + "PING\r\n"));
        assertEquals("-OVERLOADED the node is overloaded; retry later\r\n",
                exchange(command("MGET", "a", "b", "c")), "each key refused: the command's reply is the error, once");
        core.refuseWith = null;
        assertEquals(":0\r\n+OK\r\n", exchange(command("DEL", "a", "b") + command("MSET", "a", "1", "b", "2")), "the ids go on after refusals");
        assertTrue(channel.isOpen());
    }

    @Test
    void badInputIsAProtocolErrorAfterTheRepliesOwedThenTheConnectionCloses() {
        assertProtocolError("*1\r\n$x\r\n", "invalid bulk length");
        assertProtocolError("*2\r\n:1\r\n", "expected '$', got ':'");
        assertProtocolError("*1\r\n$-2\r\n", "invalid bulk length");
        assertProtocolError("*99999999999\r\n", "invalid multibulk length");
        assertProtocolError("*1x\r\n", "invalid multibulk length");
        assertProtocolError("*1\r\n$1\r\nab\r\n", "expected CRLF after a bulk string");
        assertProtocolError("*1\r\n$5000\r\n", "command of more than 4096 bytes (max-frame-bytes)");
        assertProtocolError("*1\r\n$1234567890123456789012\r\n", "invalid bulk length");
        assertProtocolError("x".repeat(RespDecoder.INLINE_BYTES_MAX + 1), "too big inline request");
    }

    private void assertProtocolError(String bad, String message) {
        EmbeddedChannel c = newChannel();
        String out = exchange(c, (AUTH + "PING\r\n" + bad + "PING\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("+OK\r\n+PONG\r\n-ERR Protocol error: " + message + "\r\n", out, bad);
        assertFalse(c.isOpen(), bad);
        c.finishAndReleaseAll();
    }

    @Test
    void randomBytesNeverEscapeTheHandler() {
        for (int seed = 0; seed < 500; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] garbage = new byte[random.nextInt(1, 200)];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = random.nextInt(4) == 0 ? (byte) "*$\r\n0123456789-".charAt(random.nextInt(15)) : (byte) random.nextInt(256);
            }
            EmbeddedChannel c = newChannel();
            exchange(c, AUTH.getBytes(StandardCharsets.UTF_8));
            String out = exchange(c, garbage); // throws if anything escapes the pipeline
            if (!c.isOpen()) assertTrue(out.contains("-ERR Protocol error: "), "seed " + seed + ": " + out);
            c.finishAndReleaseAll();
        }
    }

    @Test
    void unknownCommandsAndWrongAritiesAreAnsweredLikeRedis() {
        exchange(AUTH);
        assertEquals("-ERR unknown command 'FLUSHALL', with args beginning with: 'ASYNC' \r\n", exchange(command("FLUSHALL", "ASYNC")));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", exchange(command("get")));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", exchange(command("MSET", "a", "1", "b")));
        assertTrue(channel.isOpen());
    }

    @Test
    void unsupportedFeaturesAreClearErrors() {
        exchange(AUTH);
        assertTrue(exchange(command("SET", "k", "v", "EX", "10")).startsWith("-ERR SET option 'EX' is not supported by MemDB"));
        assertTrue(exchange(command("SET", "k", "v", "nx")).startsWith("-ERR SET option 'NX' is not supported by MemDB"));
        assertEquals("-ERR syntax error\r\n", exchange(command("SET", "k", "v", "BOGUS")));
        assertEquals("$-1\r\n", exchange(command("GET", "k")), "a refused SET writes nothing");
        assertTrue(exchange(command("HELLO", "3")).startsWith("-NOPROTO unsupported protocol version 3"));
        assertEquals("-ERR DB index is out of range (MemDB has database 0 only)\r\n+OK\r\n", exchange(command("SELECT", "1") + command("SELECT", "0")));
        assertEquals("-ERR value is not an integer or out of range\r\n", exchange(command("INCRBY", "c", "x")));
    }

    @Test
    void incrAndDecrAreCountersOfTheNativeProtocol() {
        exchange(AUTH);
        assertEquals(":1\r\n:6\r\n:5\r\n:3\r\n",
                exchange(command("INCR", "c") + command("INCRBY", "c", "5") + command("DECR", "c") + command("DECRBY", "c", "2")));
        assertTrue(exchange(command("GET", "c")).startsWith("-WRONGTYPE"), "a counter is not a plain value");
        exchange(command("SET", "plain", "v"));
        assertTrue(exchange(command("INCR", "plain")).startsWith("-WRONGTYPE"), "nor a plain value a counter");
    }

    @Test
    void helloTwoAuthenticatesAndDescribesTheServer() {
        String out = exchange(command("HELLO", "2", "AUTH", "default", KEY, "SETNAME", "me"));
        assertTrue(out.startsWith("*14\r\n$6\r\nserver\r\n$5\r\nmemdb\r\n$7\r\nversion\r\n$4\r\ntest\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:7\r\n"), out);
        assertEquals("$2\r\nme\r\n", exchange(command("CLIENT", "GETNAME")));
        EmbeddedChannel other = newChannel();
        assertTrue(exchange(other, command("HELLO", "2").getBytes(StandardCharsets.UTF_8)).startsWith("-NOAUTH HELLO must be called"));
        other.finishAndReleaseAll();
    }

    @Test
    void quitAnswersOkThenClosesAndNothingAfterItIsServed() {
        exchange(AUTH);
        assertEquals("+PONG\r\n+OK\r\n", exchange("PING\r\n" + command("QUIT") + command("SET", "k", "v")));
        assertFalse(channel.isOpen());
        Response k = SingleNode.handle(core.node, new Requests.Get(Key.of("k"), Consistency.ONE), 0);
        assertEquals(Responses.Value.ABSENT, k, "the SET after QUIT was not served");
    }

    @Test
    void toolsGetPlausibleAnswers() {
        exchange(AUTH + command("SET", "k", "v"));
        assertEquals("*4\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n", exchange(command("CONFIG", "GET", "save", "appendonly")));
        assertEquals("*2\r\n$11\r\nappendfsync\r\n$8\r\neverysec\r\n", exchange(command("CONFIG", "GET", "append*sync")));
        assertTrue(exchange(command("CONFIG", "SET", "save", "")).startsWith("-ERR CONFIG SET is not supported by MemDB"));
        assertEquals(":" + CommandSpec.values().length + "\r\n", exchange(command("COMMAND", "COUNT")));
        assertEquals("*0\r\n", exchange(command("COMMAND", "DOCS")));
        assertEquals("*2\r\n*6\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n$-1\r\n",
                exchange(command("COMMAND", "INFO", "get", "nosuch")));
        assertTrue(exchange(command("COMMAND")).startsWith("*" + CommandSpec.values().length + "\r\n"));
        assertEquals(":1\r\n", exchange(command("DBSIZE")));
        String info = exchange(command("INFO"));
        assertTrue(info.contains("redis_version:7.0.0\r\n") && info.contains("uptime_in_seconds:5\r\n")
                && info.contains("aof_enabled:1\r\n") && info.contains("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"), info);
        String keyspace = exchange(command("INFO", "keyspace"));
        assertFalse(keyspace.contains("# Server"), keyspace);
    }

    @Test
    void globMatchesLikeRedisConfigGet() {
        assertTrue(ToolCommands.Glob.matches("*", "save"));
        assertTrue(ToolCommands.Glob.matches("s?ve", "save"));
        assertTrue(ToolCommands.Glob.matches("*o*", "appendonly"));
        assertFalse(ToolCommands.Glob.matches("save?", "save"));
        assertFalse(ToolCommands.Glob.matches("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?x", "appendfsync"));
    }

    /**
     * A client that pipelines writes and hangs up: the commands decoded after the channel went inactive still
     * reach the core, whose rule it is to apply the writes and skip the reads (CoreLoopTest); the same on the
     * native port (ClientHandlerTest).
     */
    @Test
    void commandsDecodedAfterTheClientHungUpStillGoToTheCore() {
        ServerFacts facts = new ServerFacts("test", 1, 6380, "everysec", 100, 0);
        FlowControl flow = new FlowControl(PENDING_MAX, "resp");
        RespHandler handler = new RespHandler(new RespSession(KEY, facts, 7, () -> 5_000), core, flow, new AuthThrottle(0, 0, 60_000, 16));
        EmbeddedChannel[] channels = new EmbeddedChannel[1];
        int[] decoded = {0};
        // the channel closes as the first SET reaches the handler (closed through the pipeline, as a hang-up closes a
        // real channel: its handlers leave the pipeline later, in a task of the event loop)
        RespDecoder decoder = new RespDecoder(4096, command -> {
            if (++decoded[0] == 2) channels[0].pipeline().close();
            handler.command(command);
        });
        EmbeddedChannel hungUp = channels[0] = new EmbeddedChannel(new RespEncoder(), flow, decoder, handler);
        hungUp.writeInbound(Unpooled.wrappedBuffer((AUTH + command("SET", "a", "v1") + command("SET", "b", "v2") + command("GET", "a"))
                .getBytes(StandardCharsets.UTF_8)));
        assertFalse(hungUp.isActive());
        assertEquals(3, core.submitted, "both SETs and the GET went to the core");
        for (String key : new String[] {"a", "b"}) {
            Responses.Value value = (Responses.Value) SingleNode.handle(core.node, new Requests.Get(Key.of(key), Consistency.ONE), 0);
            assertTrue(value.isPresent(), "the write to " + key + " was applied");
        }
        hungUp.finishAndReleaseAll();
    }
}
