package memdb.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS to MemDB nodes (clients, and nodes calling their peers): whom to trust (the CA
 * certificates of a PEM file, or the system trust store) and, for mutual TLS, which certificate to present.
 * The server's name is always checked against its certificate (HTTPS endpoint identification: the host or IP
 * the client connects to must be in the certificate's subject alternative names). JDK provider only.
 */
public final class ClientTls {
    private final SslContext context;

    private ClientTls(SslContext context) {
        this.context = context;
    }

    /** Trusts what the JVM's default trust store trusts (a certificate from a public or company CA). */
    public static ClientTls systemTrust() {
        return build(builder());
    }

    /** Trusts the CA certificate(s) in {@code caPem}. */
    public static ClientTls trusting(Path caPem) {
        requireReadable(caPem, "CA certificate");
        return build(builder().trustManager(caPem.toFile()));
    }

    /** Trusts {@code caPem} and presents {@code certificatePem} with its PKCS#8 {@code privateKeyPem} (mutual TLS). */
    public static ClientTls mutual(Path caPem, Path certificatePem, Path privateKeyPem) {
        requireReadable(caPem, "CA certificate");
        requireReadable(certificatePem, "certificate");
        requireReadable(privateKeyPem, "private key");
        return build(builder().trustManager(caPem.toFile()).keyManager(certificatePem.toFile(), privateKeyPem.toFile()));
    }

    /** A handler for one connection to {@code host:port}, whose handshake must finish within {@code handshakeTimeout}. */
    public SslHandler newHandler(ByteBufAllocator allocator, String host, int port, Duration handshakeTimeout) {
        SslHandler handler = context.newHandler(allocator, host, port);
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        return handler;
    }

    /** A JDK {@link SSLContext} trusting {@code caPem}, or the system trust store when it is null (for HTTPS clients). */
    public static SSLContext jdkContext(Path caPem) {
        try {
            if (caPem == null) return SSLContext.getDefault();
            requireReadable(caPem, "CA certificate");
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates(caPem)) trusted.setCertificateEntry("ca-" + i++, certificate);
            if (i == 0) throw new IllegalArgumentException("no certificate in " + caPem);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use " + caPem + " as a CA certificate: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static SslContextBuilder builder() {
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS");
    }

    private static ClientTls build(SslContextBuilder builder) {
        try {
            return new ClientTls(builder.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    static void requireReadable(Path file, String what) {
        if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file);
    }
}
