package memdb.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import memdb.auth.AuthThrottle;
import memdb.bench.BenchmarkDefaults;
import memdb.net.FlowControl;
import memdb.node.Connection;
import memdb.node.CoreLoop;
import memdb.protocol.Envelope;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The RESP layer alone (docs/performance.md, "Session 6: the RESP path"): one read of 16 pipelined commands,
 * as {@code redis-benchmark -t set,get -d 16 -P 16} sends them, through RespDecoder, RespHandler and
 * RespSession on an EmbeddedChannel, to a core that answers at once in one batch (as the core loop does)
 * with canned responses, and the replies out. One operation is the whole read of 16; divide by 16 for a
 * command. {@code -prof gc} gives the bytes allocated per read. Only the listener's constructors and the core
 * door ({@code RequestSink}) are used; to measure a build from before the door took a request id instead of an
 * envelope (main before session 6's merge), write this {@code submit} the old way.
 */
public class RespPathBenchmark extends BenchmarkDefaults {
    private static final int PIPELINE = 16;

    /** Takes requests like the core loop and answers the whole read in one batch when told to. */
    private static final class BatchingCore implements RequestSink {
        private static final Response VALUE = Responses.Value.present(new Timestamp(1, 1), new byte[16]);
        private static final Response WRITTEN = new Responses.Written(new Timestamp(1, 1), true, false);
        private final List<Envelope> batch = new ArrayList<>();
        private Connection connection;

        @Override
        public CoreLoop.Submission submit(Connection connection, int requestId, long lamport, Request request) {
            this.connection = connection;
            batch.add(Envelope.response(request.opcode(), requestId, 1, request instanceof Requests.Get ? VALUE : WRITTEN));
            return CoreLoop.Submission.ACCEPTED;
        }

        @Override
        public long lamportTime() {
            return 1;
        }

        void answer() {
            connection.send(memdb.node.ReplyBatch.of(batch));
            batch.clear();
        }
    }

    private final BatchingCore core = new BatchingCore();
    private EmbeddedChannel channel;
    /** The bytes of one read, wrapped in a fresh buffer per operation as a socket read comes in its own. */
    private byte[] read;

    @Setup(Level.Trial)
    public void setUp() {
        FlowControl flow = new FlowControl(1 << 20, "resp");
        RespSession session = new RespSession("k", new ServerFacts("bench", 1, 6380, null, 100, 0), 1, () -> 0);
        RespHandler handler = new RespHandler(session, core, flow, new AuthThrottle());
        channel = new EmbeddedChannel(new RespEncoder(), flow, new RespDecoder(1 << 20, handler::command), handler);
        channel.writeInbound(Unpooled.wrappedBuffer("*2\r\n$4\r\nAUTH\r\n$1\r\nk\r\n".getBytes(StandardCharsets.US_ASCII)));
        drain();
        StringBuilder commands = new StringBuilder();
        for (int i = 0; i < PIPELINE / 2; i++) {
            commands.append("*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$16\r\nxxxxxxxxxxxxxxxx\r\n");
            commands.append("*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n");
        }
        read = commands.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    private int drain() {
        int bytes = 0;
        for (ByteBuf out; (out = channel.readOutbound()) != null; out.release()) bytes += out.readableBytes();
        return bytes;
    }

    /** One read of 16 pipelined SET and GET commands, answered in one batch; returns the reply bytes. */
    @Benchmark
    public int pipelinedSetGet() {
        return readAndAnswer(Unpooled.wrappedBuffer(read));
    }

    /** The same in a pooled direct buffer, as a node's socket read comes (each checked access costs more there). */
    @Benchmark
    public int pipelinedSetGetDirect() {
        return readAndAnswer(PooledByteBufAllocator.DEFAULT.directBuffer(read.length).writeBytes(read));
    }

    private int readAndAnswer(ByteBuf in) {
        channel.writeInbound(in);
        core.answer();
        return drain();
    }
}
