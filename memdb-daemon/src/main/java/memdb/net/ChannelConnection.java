package memdb.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import memdb.node.Connection;
import memdb.protocol.Envelope;
import memdb.protocol.Responses;

/**
 * The core loop's view of one client channel: a batch of replies is written at once when the core runs on
 * the channel's event loop, else becomes one task on that loop; each reply is written and flushed once, logging one line for each error reply, and tells the
 * channel's {@link FlowControl} that those requests are answered. Replies to a closed channel are dropped by Netty.
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
    public void send(List<Envelope> replies) {
        EventLoop eventLoop = channel.eventLoop();
        if (eventLoop.inEventLoop()) {
            writeAndFlush(replies);
            return;
        }
        try {
            eventLoop.execute(() -> writeAndFlush(replies));
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down, and the channel with it: nobody is left to answer.
        }
    }

    @Override
    public java.util.concurrent.Executor executor() {
        EventLoop eventLoop = channel.eventLoop();
        return eventLoop.inEventLoop() ? null : eventLoop;
    }

    private void writeAndFlush(List<Envelope> replies) {
        for (Envelope reply : replies) {
            if (reply.message() instanceof Responses.Error error) logRefusal(reply, error);
            channel.write(reply);
        }
        channel.flush();
        flow.repliesOut(replies.size());
    }

    /** One line per refused request (a key or value over the limits, ...); the connection stays open. */
    private void logRefusal(Envelope reply, Responses.Error error) {
        LOG.log(Level.INFO, reply.opcode() + " request " + Integer.toUnsignedString(reply.requestId()) + " from "
                + channel.remoteAddress() + " refused: " + error.code() + ": " + error.message());
    }
}
