package memdb.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The server side of TLS on a node's ports: its certificate chain and PKCS#8 private key (PEM), and, when
 * it asks peers for certificates, the CA that must have signed them. Asking is optional for the peer
 * ({@link ClientAuth#OPTIONAL}): clients without a certificate still connect, and {@link #peerCertified}
 * tells whether this one presented a certificate the CA signed. JDK provider only.
 */
public final class ServerTls {
    private final SslContext context;

    private ServerTls(SslContext context) {
        this.context = context;
    }

    /**
     * @param requestPeerCertificates ask connecting peers for a certificate signed by {@code ca} (mutual TLS)
     * @throws IllegalArgumentException naming the file when the certificate, key or CA cannot be used
     */
    public static ServerTls load(Path certificatePem, Path privateKeyPem, Optional<Path> ca, boolean requestPeerCertificates) {
        ClientTls.requireReadable(certificatePem, "certificate");
        ClientTls.requireReadable(privateKeyPem, "private key");
        ca.ifPresent(file -> ClientTls.requireReadable(file, "CA certificate"));
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(certificatePem.toFile(), privateKeyPem.toFile())
                    .sslProvider(SslProvider.JDK);
            if (requestPeerCertificates) {
                builder.trustManager(ca.orElseThrow().toFile()).clientAuth(ClientAuth.OPTIONAL);
            }
            return new ServerTls(builder.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + certificatePem + " with the key "
                    + privateKeyPem + ": " + e.getMessage() + " (the key must be an unencrypted PKCS#8 PEM file)", e);
        }
    }

    /** A handler for one accepted connection. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        return context.newHandler(allocator);
    }

    /** True when the finished handshake of {@code handler} verified a certificate of the peer's. */
    public static boolean peerCertified(SslHandler handler) {
        if (handler == null || !handler.handshakeFuture().isSuccess()) return false;
        try {
            return handler.engine().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
