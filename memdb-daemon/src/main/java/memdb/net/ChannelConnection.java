package memdb.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import memdb.node.Connection;
import memdb.protocol.Envelope;

/**
 * The core loop's view of one client channel: a batch of replies becomes one task on the channel's event
 * loop that writes each reply and flushes once. Replies to a closed channel are dropped by Netty.
 */
final class ChannelConnection implements Connection {
    private final Channel channel;

    ChannelConnection(Channel channel) {
        this.channel = channel;
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

    private void writeAndFlush(List<Envelope> replies) {
        for (Envelope reply : replies) channel.write(reply);
        channel.flush();
    }
}
