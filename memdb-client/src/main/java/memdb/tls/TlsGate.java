package memdb.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The first handler of a TLS port: looks at the first bytes a peer sends. A TLS record (a ClientHello) puts
 * the {@link SslHandler} in its place; anything else is a plaintext client at a TLS port, which gets a
 * plaintext refusal in its own protocol (an error frame, an HTTP 400, a RESP error) and is closed, so that
 * it fails at once with a clear message instead of waiting for a handshake that never comes. A failed
 * handshake (the peer does not trust our certificate, or sends no valid one) is one INFO line and a close,
 * not a stack trace in the port's own handler.
 */
public final class TlsGate extends ByteToMessageDecoder {
    /** A TLS record header is 5 bytes. */
    private static final int HEADER_BYTES = 5;

    private static final System.Logger LOG = System.getLogger(TlsGate.class.getName());

    private final ServerTls tls;
    private final Function<ChannelHandlerContext, ByteBuf> refusal;

    /** {@code refusal} makes the plaintext answer (in the port's protocol) for a client that did not start TLS. */
    public TlsGate(ServerTls tls, Function<ChannelHandlerContext, ByteBuf> refusal) {
        this.tls = tls;
        this.refusal = refusal;
    }

    /** The name the {@link SslHandler} gets in the pipeline. */
    public static final String SSL_HANDLER = "ssl";

    /** Right after the SslHandler: TLS failures end here. */
    static final class HandshakeFailures extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof SSLException tls) {
                    LOG.log(System.Logger.Level.INFO, "TLS with " + ctx.channel().remoteAddress() + " failed: " + tls.getMessage());
                    ctx.close();
                    return;
                }
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER_BYTES) return;
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().addAfter(ctx.name(), "tls-failures", new HandshakeFailures());
            ctx.pipeline().replace(this, SSL_HANDLER, tls.newHandler(ctx.alloc()));
            return;
        }
        in.skipBytes(in.readableBytes());
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(refusal.apply(ctx)).addListener(ChannelFutureListener.CLOSE);
    }
}
