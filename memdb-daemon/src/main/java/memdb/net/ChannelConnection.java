package memdb.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import memdb.node.Connection;
import memdb.node.ReplyBatch;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.FrameCodec;
import memdb.protocol.Opcode;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The core loop's view of one client channel: a batch of replies is written at once when the core runs on
 * the channel's event loop, else becomes one task on that loop; a batch's replies are encoded into one buffer,
 * written and flushed once, logging one line for each error reply, and the channel's {@link FlowControl} is
 * told that those requests are answered. Replies to a closed channel are dropped by Netty.
 */
final class ChannelConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(ChannelConnection.class.getName());

    private final Channel channel;
    private final FlowControl flow;

    ChannelConnection(Channel channel, FlowControl flow) {
        this.channel = channel;
        this.flow = flow;
    }

    @Override
    public void send(ReplyBatch replies) {
        EventLoop eventLoop = channel.eventLoop();
        if (eventLoop.inEventLoop()) {
            writeAndFlush(replies);
            return;
        }
        ReplyBatch kept = replies.copy(); // the batch given may be valid during this call only
        try {
            eventLoop.execute(() -> writeAndFlush(kept));
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down, and the channel with it: nobody is left to answer.
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public java.util.concurrent.Executor executor() {
        EventLoop eventLoop = channel.eventLoop();
        return eventLoop.inEventLoop() ? null : eventLoop;
    }

    /**
     * The batch's frames go out in one buffer, one write and one flush (not a write, a promise and a buffer per
     * reply, nor an envelope per reply); a failed write is the channel's failure (its exceptionCaught), as a
     * closed channel's is.
     */
    private void writeAndFlush(ReplyBatch replies) {
        ByteBuf out = channel.alloc().ioBuffer();
        long lamport = replies.lamport();
        int n = replies.size();
        for (int i = 0; i < n; i++) {
            Response response = replies.response(i);
            if (response instanceof Responses.Error error) logRefusal(replies.opcode(i), replies.requestId(i), error);
            encode(replies.opcode(i), replies.requestId(i), lamport, response, out);
        }
        channel.writeAndFlush(out, channel.voidPromise());
        flow.repliesOut(n);
    }

    /** One reply's frame; a reply that cannot be encoded (a node bug) is answered INTERNAL rather than never. */
    private void encode(Opcode opcode, int requestId, long lamport, Response response, ByteBuf out) {
        try {
            FrameCodec.encodeResponse(opcode, requestId, lamport, response, out);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "cannot encode the reply to " + opcode + " request "
                    + Integer.toUnsignedString(requestId) + " from " + channel.remoteAddress(), e);
            FrameCodec.encode(Envelope.response(opcode, requestId, lamport,
                    new Responses.Error(ErrorCode.INTERNAL, "the reply could not be encoded; see the node's log")), out);
        }
    }

    /** One line per refused request (a key or value over the limits, ...); the connection stays open. */
    private void logRefusal(Opcode opcode, int requestId, Responses.Error error) {
        LOG.log(Level.INFO, opcode + " request " + Integer.toUnsignedString(requestId) + " from "
                + channel.remoteAddress() + " refused: " + error.code() + ": " + error.message());
    }
}
