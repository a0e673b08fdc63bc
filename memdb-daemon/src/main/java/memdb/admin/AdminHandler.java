package memdb.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import memdb.auth.AuthThrottle;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One admin connection: authenticates each request, parses its route, asks {@link AdminEndpoints},
 * and writes the reply. All state is touched on the channel's event loop only.
 *
 * <p>Invariants: replies leave in the order of the requests (HTTP/1.1 pipelining), because one request
 * is served at a time and the others wait, at most {@link #WAITING_MAX} of them (beyond that the
 * client is flooding and the connection closes); every request gets exactly one reply; the connection
 * stays open after a reply when the client asked for keep-alive and the request was well formed.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final int WAITING_MAX = 16;
    private static final System.Logger LOG = System.getLogger(AdminHandler.class.getName());

    /**
     * What is kept of a request once its Netty buffers are released. The Authorization header is
     * checked on arrival and only the verdict kept ({@code refusal}: null when authorized), so that the
     * key never sits in a queue or in a toString.
     */
    private record Pending(HttpVersion version, HttpMethod method, String uri, String refusal,
                           boolean keepAlive, boolean malformed, String body) {}

    private final BearerAuth auth;
    private final AuthThrottle throttle;
    private final AdminEndpoints endpoints;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private boolean serving;

    AdminHandler(BearerAuth auth, AdminEndpoints endpoints) {
        this(auth, new AuthThrottle(), endpoints);
    }

    /** {@code throttle} delays the 401 for a wrong key (shared by the port's connections). */
    AdminHandler(BearerAuth auth, AuthThrottle throttle, AdminEndpoints endpoints) {
        this.auth = auth;
        this.throttle = throttle;
        this.endpoints = endpoints;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (waiting.size() >= WAITING_MAX) {
            ctx.close();
            return;
        }
        waiting.add(new Pending(request.protocolVersion(), request.method(), request.uri(),
                auth.refusal(request.headers().get(HttpHeaderNames.AUTHORIZATION)), HttpUtil.isKeepAlive(request),
                request.decoderResult().isFailure(), body(request)));
        if (!serving) serveNext(ctx);
    }

    private void serveNext(ChannelHandlerContext ctx) {
        Pending next = waiting.poll();
        serving = next != null;
        if (next == null) return;
        if (BearerAuth.WRONG_KEY.equals(next.refusal())) {
            long delayMs = throttle.failed(AuthThrottle.addressOf(ctx.channel().remoteAddress()), System.nanoTime() / 1_000_000);
            reply(next).thenAccept(reply -> ctx.executor().schedule(() -> write(ctx, next, reply), delayMs, TimeUnit.MILLISECONDS));
            return;
        }
        if (next.refusal() == null) throttle.succeeded(AuthThrottle.addressOf(ctx.channel().remoteAddress()));
        reply(next).thenAccept(reply -> runOnChannel(ctx, () -> write(ctx, next, reply)));
    }


    private CompletableFuture<Reply> reply(Pending request) {
        if (request.malformed()) {
            return CompletableFuture.completedFuture(Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
        }
        if (request.refusal() != null) {
            return CompletableFuture.completedFuture(Reply.error(HttpResponseStatus.UNAUTHORIZED, request.refusal()));
        }
        try {
            return endpoints.serve(AdminRoute.parse(request.method(), request.uri(), request.body()));
        } catch (AdminException e) {
            return CompletableFuture.completedFuture(Reply.failure(e));
        }
    }

    /** The body as UTF-8, kept only for a PUT (the one method whose body means something here). */
    private static String body(FullHttpRequest request) {
        if (!HttpMethod.PUT.equals(request.method())) return "";
        return request.content().toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void runOnChannel(ChannelHandlerContext ctx, Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // The server is closing: the connection goes with it, and the reply has nobody to go to.
        }
    }

    private void write(ChannelHandlerContext ctx, Pending request, Reply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.version(), reply.status(), Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        if (reply.allow() != null) response.headers().set(HttpHeaderNames.ALLOW, reply.allow());
        if (reply.status() == HttpResponseStatus.UNAUTHORIZED) response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        boolean keepAlive = request.keepAlive() && !request.malformed() && ctx.channel().isActive();
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        written.addListener(done -> reply.afterWrite().run());
        if (keepAlive) {
            serveNext(ctx);
        } else {
            waiting.clear();
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "admin connection closed after an error: " + cause);
        ctx.close();
    }
}
