package memdb.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import memdb.crdt.PnCounter;
import memdb.protocol.ClusterRequests;
import memdb.protocol.CounterMessages;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Envelope;
import memdb.protocol.EnvelopeDecoder;
import memdb.protocol.EnvelopeEncoder;
import memdb.protocol.ErrorCode;
import memdb.protocol.FrameCodec;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Opcode;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.ring.Ring;

/**
 * A fake MemDB node for client tests: Netty on 127.0.0.1 (port 0), the real protocol stages, a map for
 * storage and a Lamport clock. Switches make it misbehave: {@link #reorder} shuffles the answers to the
 * requests that arrived in one read, {@link #silent} never answers (except AUTH), {@link #delayMillis} answers late,
 * {@link #failKey} answers a key with an error frame, {@link #garbage} answers with a frame of bad magic,
 * {@link #dropConnections} closes every connection. CLUSTER_INFO is answered with {@link #clusterView}: a
 * cluster of this node alone unless a {@link FakeCluster} shares its view.
 */
final class FakeNode implements AutoCloseable {
    final int nodeId;
    private final byte[] authKey;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final Map<Key, Responses.Value> store = new ConcurrentHashMap<>();
    private final Map<Key, ErrorCode> failingKeys = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final Random random = new Random(42);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    volatile boolean reorder;
    volatile boolean silent;
    volatile long delayMillis;
    volatile boolean garbage;
    /** Answers requests with an error frame that names no request (id 0xFFFFFFFF), as for an unreadable frame. */
    volatile boolean unattributedErrors;
    final AtomicInteger connectionsAccepted = new AtomicInteger();
    final AtomicInteger requestsReceived = new AtomicInteger();
    /** Reads whose answers went out in another order than their requests came in. */
    final AtomicInteger answersReordered = new AtomicInteger();
    final ConcurrentLinkedQueue<Envelope> received = new ConcurrentLinkedQueue<>();
    /** When set, CLUSTER_INFO is answered with this error (a node that cannot tell the cluster yet). */
    volatile ErrorCode clusterInfoError;
    /** CLUSTER_INFO requests received (not counted in {@link #requestsReceived}). */
    final AtomicInteger clusterInfoReceived = new AtomicInteger();
    volatile Supplier<ClusterResponses.ClusterView> clusterView = () -> new ClusterResponses.ClusterView(
            3, Ring.VNODES_DEFAULT, 1, List.of(member(true)));

    FakeNode(String authKey, int nodeId) {
        this.authKey = authKey.getBytes(StandardCharsets.UTF_8);
        this.nodeId = nodeId;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connectionsAccepted.incrementAndGet();
                        channels.add(channel);
                        channel.pipeline().addLast(new EnvelopeDecoder(FrameCodec.FRAME_BYTES_MAX_DEFAULT),
                                new EnvelopeEncoder(), new Session());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String seed() {
        return "127.0.0.1:" + port();
    }

    /** This node as a member of a cluster view. */
    Member member(boolean up) {
        return new Member(nodeId, "127.0.0.1", port(), 1, 1, Member.Status.NORMAL, up);
    }

    void put(String key, String value, long lamport) {
        store.put(Key.of(key), Responses.Value.present(new Timestamp(lamport, nodeId), value.getBytes(StandardCharsets.UTF_8)));
    }

    void putTombstone(String key, long lamport) {
        store.put(Key.of(key), Responses.Value.tombstone(new Timestamp(lamport, nodeId)));
    }

    Responses.Value stored(String key) {
        return stored(Key.of(key));
    }

    void failKey(String key, ErrorCode code) {
        failingKeys.put(Key.of(key), code);
    }

    void advanceClock(long lamport) {
        clock.accumulateAndGet(lamport, Math::max);
    }

    /** Requests other than AUTH and CLUSTER_INFO received so far. */
    List<Envelope> dataRequests() {
        return received.stream().filter(e -> e.opcode() != Opcode.AUTH && e.opcode() != Opcode.CLUSTER_INFO).toList();
    }

    /** The keys of the data requests of one kind received so far, in arrival order. */
    List<String> keysOf(Opcode opcode) {
        return dataRequests().stream().filter(e -> e.opcode() == opcode).map(e -> keyOf((Request) e.message())).toList();
    }

    private static String keyOf(Request request) {
        if (request instanceof Requests.Get get) return get.key().toString();
        if (request instanceof Requests.Set set) return set.key().toString();
        if (request instanceof Requests.Delete delete) return delete.key().toString();
        if (request instanceof Requests.Contains contains) return contains.key().toString();
        if (request instanceof CounterMessages.Add add) return add.key().toString();
        if (request instanceof CounterMessages.Get get) return get.key().toString();
        throw new IllegalStateException("no key in " + request);
    }

    void dropConnections() {
        channels.close().syncUninterruptibly();
    }

    /** Idempotent, so a test may kill a node that its FakeCluster closes again later. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        server.close().syncUninterruptibly();
        dropConnections();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counters by key; an increment whose operation id a slot remembers is not counted again (as the nodes do). */
    private final Map<Key, PnCounter> counters = new ConcurrentHashMap<>();
    /** That many COUNTER_ADDs are applied and then answered TIMEOUT (a leader that lost its replicas' answers). */
    final AtomicInteger counterAddsToTimeOut = new AtomicInteger();
    /** That many COUNTER_ADDs are refused with UNAVAILABLE before anything is counted (their leader is down). */
    final AtomicInteger counterAddsToRefuse = new AtomicInteger();
    /** Then, in order, one per COUNTER_ADD: TIMEOUT (counted, answered TIMEOUT) or UNAVAILABLE (refused, not counted). */
    final java.util.Queue<ErrorCode> counterAddScript = new java.util.concurrent.ConcurrentLinkedQueue<>();

    void putCounter(String key, PnCounter counter) {
        counters.put(Key.of(key), counter);
    }

    private Response counter(Request request) {
        if (request instanceof CounterMessages.Get get) {
            return new CounterMessages.State(counters.getOrDefault(get.key(), PnCounter.EMPTY));
        }
        CounterMessages.Add add = (CounterMessages.Add) request;
        ErrorCode scripted = counterAddScript.poll();
        if (scripted == ErrorCode.UNAVAILABLE || counterAddsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Responses.Error(ErrorCode.UNAVAILABLE, "injected: the increment's leader is down; this attempt counted nothing");
        }
        PnCounter held = counters.getOrDefault(add.key(), PnCounter.EMPTY);
        PnCounter after = held.hasApplied(add.operationId()) ? held : held.add(nodeId, add.operationId(), add.delta());
        counters.put(add.key(), after);
        if (scripted == ErrorCode.TIMEOUT || counterAddsToTimeOut.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Responses.Error(ErrorCode.TIMEOUT, "injected: replicas did not answer; the outcome is unknown");
        }
        return new CounterMessages.State(after);
    }

    private Response handle(Request request) {
        if (request instanceof CounterMessages.Add || request instanceof CounterMessages.Get) return counter(request);
        if (request instanceof Requests.Get get) return stored(get.key());
        if (request instanceof Requests.Set set) return write(set.key(), Responses.Value.present(tick(), set.value()));
        if (request instanceof Requests.Delete delete) return write(delete.key(), Responses.Value.tombstone(tick()));
        if (request instanceof Requests.Contains contains) return new Responses.Bool(stored(contains.key()).isPresent());
        if (request instanceof Requests.Ping) return new Responses.Ok();
        if (request instanceof ClusterRequests.ClusterInfo) return clusterView.get();
        throw new IllegalStateException("unexpected request " + request);
    }

    private Responses.Value stored(Key key) {
        return store.getOrDefault(key, Responses.Value.ABSENT);
    }

    private Responses.Written write(Key key, Responses.Value version) {
        Responses.Value before = store.put(key, version);
        return new Responses.Written(version.timestamp(), before != null && before.isPresent(), false);
    }

    private Timestamp tick() {
        return new Timestamp(clock.incrementAndGet(), nodeId);
    }

    /** One client connection: AUTH first, then requests, answered per the misbehaviour switches. */
    private final class Session extends SimpleChannelInboundHandler<Envelope> {
        private boolean authenticated;
        private final List<Envelope> batch = new ArrayList<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
            received.add(envelope);
            clock.accumulateAndGet(envelope.lamport(), (mine, theirs) -> Math.max(mine, theirs) + 1);
            if (envelope.message() instanceof Requests.Auth auth) {
                authenticate(ctx, envelope, auth);
                return;
            }
            if (envelope.opcode() == Opcode.CLUSTER_INFO) clusterInfoReceived.incrementAndGet();
            else requestsReceived.incrementAndGet();
            if (!authenticated) {
                answer(ctx, envelope, new Responses.Error(ErrorCode.AUTH_REQUIRED, "authenticate first"));
                return;
            }
            if (silent) return;
            if (garbage) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 16, (byte) 0xAA, 1, 0x10, 1,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
                return;
            }
            if (unattributedErrors) {
                ctx.writeAndFlush(Envelope.response(envelope.opcode(), -1, clock.get(),
                        new Responses.Error(ErrorCode.MALFORMED_FRAME, "could not read your frame")));
                return;
            }
            Request request = (Request) envelope.message();
            ErrorCode failure = request instanceof Requests.Get get ? failingKeys.get(get.key())
                    : request instanceof ClusterRequests.ClusterInfo ? clusterInfoError : null;
            Response response = failure != null ? new Responses.Error(failure, "injected " + failure) : handle(request);
            answer(ctx, envelope, response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that goes away resets the connection; that is not a test failure
        }

        private void authenticate(ChannelHandlerContext ctx, Envelope envelope, Requests.Auth auth) {
            if (MessageDigest.isEqual(auth.authKey(), authKey)) {
                // Only requests that arrive after the answer is sent count as authenticated, so a client
                // that writes before it has the answer sees AUTH_REQUIRED even when the answer is delayed.
                Envelope accepted = Envelope.response(envelope.opcode(), envelope.requestId(), clock.get(),
                        new Responses.Authenticated(nodeId, "fake"));
                ctx.executor().schedule(() -> {
                    authenticated = true;
                    ctx.writeAndFlush(accepted);
                }, delayMillis, TimeUnit.MILLISECONDS);
            } else {
                ctx.writeAndFlush(Envelope.response(envelope.opcode(), envelope.requestId(), clock.get(),
                        new Responses.Error(ErrorCode.AUTH_FAILED, "wrong auth key"))).addListener(f -> ctx.close());
            }
        }

        private void answer(ChannelHandlerContext ctx, Envelope request, Response response) {
            Envelope envelope = Envelope.response(request.opcode(), request.requestId(), clock.get(), response);
            if (delayMillis > 0) {
                ctx.executor().schedule(() -> ctx.writeAndFlush(envelope), delayMillis, TimeUnit.MILLISECONDS);
            } else if (reorder && request.opcode() != Opcode.AUTH) {
                batch.add(envelope);
            } else {
                ctx.writeAndFlush(envelope);
            }
        }

        /** Answers everything that arrived in one read, shuffled. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (batch.isEmpty()) return;
            List<Envelope> arrival = List.copyOf(batch);
            Collections.shuffle(batch, random);
            if (!batch.equals(arrival)) answersReordered.incrementAndGet();
            batch.forEach(ctx::write);
            batch.clear();
            ctx.flush();
        }
    }
}
