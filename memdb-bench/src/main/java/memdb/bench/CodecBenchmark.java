package memdb.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import memdb.protocol.Consistency;
import memdb.protocol.Envelope;
import memdb.protocol.FrameCodec;
import memdb.protocol.Key;
import memdb.protocol.Requests;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The native protocol's frame codec (memdb.protocol.FrameCodec): encoding and decoding one SET frame (16-byte
 * key, 100-byte value) and one GET frame, into and out of a pooled buffer as the Netty pipeline does.
 */
public class CodecBenchmark extends BenchmarkDefaults {
    private final Envelope set = Envelope.request(7, 42, new Requests.Set(Key.of("key:000000000001"), new byte[100], Consistency.DEFAULT));
    private final Envelope get = Envelope.request(8, 42, new Requests.Get(Key.of("key:000000000001"), Consistency.DEFAULT));
    private ByteBuf out;
    private ByteBuf setFrame;
    private ByteBuf getFrame;

    @Setup(Level.Trial)
    public void setUp() {
        out = PooledByteBufAllocator.DEFAULT.buffer(256);
        setFrame = frameBody(set);
        getFrame = frameBody(get);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
        setFrame.release();
        getFrame.release();
    }

    /** The whole frame in a plain heap buffer; each decode rewinds it to just after the length prefix. */
    private static ByteBuf frameBody(Envelope envelope) {
        ByteBuf frame = Unpooled.buffer(256);
        FrameCodec.encode(envelope, frame);
        return frame;
    }

    private static Envelope decode(ByteBuf frame) {
        frame.readerIndex(FrameCodec.LENGTH_FIELD_BYTES);
        return FrameCodec.decode(frame);
    }

    @Benchmark
    public int encodeSet() {
        out.clear();
        FrameCodec.encode(set, out);
        return out.writerIndex();
    }

    @Benchmark
    public int encodeGet() {
        out.clear();
        FrameCodec.encode(get, out);
        return out.writerIndex();
    }

    @Benchmark
    public Envelope decodeSet() {
        return decode(setFrame);
    }

    @Benchmark
    public Envelope decodeGet() {
        return decode(getFrame);
    }
}
