package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import memdb.protocol.ClusterRequests;
import memdb.node.ReplyBatch;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.FrameCodec;
import memdb.protocol.Key;
import memdb.protocol.Opcode;
import memdb.protocol.Responses;
import memdb.protocol.StreamMessages;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the core's replies reach a client channel: a batch as one buffer, in order, each reply answered. */
class ChannelConnectionTest {
    private final FlowControl flow = new FlowControl(1024, "client");
    private final EmbeddedChannel channel = new EmbeddedChannel(flow);
    private final ChannelConnection connection = new ChannelConnection(channel, flow);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aBatchOfRepliesIsOneBufferWithEveryFrameInOrder() {
        for (int i = 0; i < 3; i++) flow.requestIn();
        connection.send(ReplyBatch.of(List.of(Envelope.response(Opcode.PING, 1, 7, new Responses.Ok()),
                Envelope.response(Opcode.GET, 2, 7, Responses.Value.ABSENT),
                Envelope.response(Opcode.SET, 3, 7, new Responses.Error(ErrorCode.VALUE_TOO_LARGE, "too big")))));

        List<Envelope> frames = frames(channel.readOutbound());
        assertNull(channel.readOutbound(), "one write for the batch");
        assertEquals(List.of(1, 2, 3), frames.stream().map(Envelope::requestId).toList());
        assertEquals(Responses.Value.ABSENT, frames.get(1).message());
        assertEquals(0, flow.pending(), "the three requests are answered");
    }

    /** A reply that cannot be encoded (a key too long for the wire) still answers its request, with INTERNAL. */
    @Test
    void aReplyThatCannotBeEncodedIsAnsweredInternalAndTheOthersStillGoOut() {
        for (int i = 0; i < 3; i++) flow.requestIn();
        Key tooLong = Key.wrap(new byte[70_000]);
        StreamMessages.StreamChunk unencodable = new StreamMessages.StreamChunk(
                List.of(new ClusterRequests.ReplicaWrite(tooLong, false, new Timestamp(1, 1), new byte[1])), false);
        connection.send(ReplyBatch.of(List.of(Envelope.response(Opcode.PING, 1, 7, new Responses.Ok()),
                Envelope.response(Opcode.STREAM_PULL, 2, 7, unencodable),
                Envelope.response(Opcode.PING, 3, 7, new Responses.Ok()))));

        List<Envelope> frames = frames(channel.readOutbound());
        assertEquals(List.of(1, 2, 3), frames.stream().map(Envelope::requestId).toList());
        Responses.Error error = assertInstanceOf(Responses.Error.class, frames.get(1).message());
        assertEquals(ErrorCode.INTERNAL, error.code());
        assertInstanceOf(Responses.Ok.class, frames.get(2).message());
        assertEquals(0, flow.pending());
    }

    /**
     * A reply whose response is not its opcode's type (a node bug; without an envelope per reply, the encoder
     * checks it) would decode as something else at the client: it is answered INTERNAL instead.
     */
    @Test
    void aReplyOfTheWrongTypeForItsOpcodeIsAnsweredInternal() {
        for (int i = 0; i < 2; i++) flow.requestIn();
        connection.send(new ReplyBatch.Copy(new Opcode[] {Opcode.GET, Opcode.GET}, new int[] {1, 2},
                new memdb.protocol.Response[] {new Responses.Ok(), Responses.Value.ABSENT}, 7));

        List<Envelope> frames = frames(channel.readOutbound());
        assertEquals(List.of(1, 2), frames.stream().map(Envelope::requestId).toList());
        assertEquals(ErrorCode.INTERNAL, assertInstanceOf(Responses.Error.class, frames.get(0).message()).code());
        assertEquals(Responses.Value.ABSENT, frames.get(1).message());
        assertEquals(0, flow.pending());
    }

    private static List<Envelope> frames(ByteBuf out) {
        List<Envelope> frames = new ArrayList<>();
        try {
            while (out.isReadable()) {
                int length = out.readInt();
                frames.add(FrameCodec.decode(out.readSlice(length)));
            }
        } finally {
            out.release();
        }
        return frames;
    }
}
