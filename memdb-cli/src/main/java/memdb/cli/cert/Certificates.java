package memdb.cli.cert;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the certificates of a test cluster: a self-signed CA and node certificates it signs, each with an
 * ECDSA P-256 key, good for TLS servers and clients alike (so nodes can use them for mutual TLS), the
 * node's addresses in its subject alternative names (IP addresses as IP entries, the rest as DNS names).
 * PEM in, PEM out: certificates as CERTIFICATE blocks, keys as unencrypted PKCS#8 PRIVATE KEY blocks (what
 * Netty's and the JDK's TLS read). Bouncy Castle builds the certificates; keys are made and certificates
 * signed by the JDK's own providers (Bouncy Castle is never registered as a security provider).
 */
public final class Certificates {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** A key and the certificate for it. */
    public record Issued(PrivateKey key, X509Certificate certificate) {}

    private final SecureRandom random;

    public Certificates(SecureRandom random) {
        this.random = random;
    }

    /** A self-signed CA named {@code commonName}, valid from {@code now} for {@code validity}. */
    public Issued newCa(String commonName, Instant now, Duration validity) {
        KeyPair pair = newKeyPair();
        X500Name name = name(commonName);
        try {
            X509v3CertificateBuilder builder = builder(name, name, pair, now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            return new Issued(pair.getPrivate(), sign(builder, pair.getPrivate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A certificate for {@code commonName} signed by {@code ca}, for TLS server and client use, naming
     * {@code subjectAlternativeNames} (IP addresses or DNS names; at least one).
     */
    public Issued issue(Issued ca, String commonName, List<String> subjectAlternativeNames, Instant now, Duration validity) {
        if (subjectAlternativeNames.isEmpty()) throw new IllegalArgumentException("a certificate needs at least one address");
        KeyPair pair = newKeyPair();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name(ca.certificate().getSubjectX500Principal().getName()), name(commonName),
                    pair, now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, generalNames(subjectAlternativeNames))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
            return new Issued(pair.getPrivate(), sign(builder, ca.key()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a certificate: " + e.getMessage(), e);
        }
    }

    /** True for an IPv4 or IPv6 literal (an IP entry in the certificate), false for a DNS name. */
    static boolean isIpAddress(String address) {
        return IPV4.matcher(address).matches() || address.contains(":");
    }

    private static GeneralNames generalNames(List<String> addresses) {
        GeneralName[] names = new GeneralName[addresses.size()];
        for (int i = 0; i < names.length; i++) {
            String address = addresses.get(i);
            names[i] = new GeneralName(isIpAddress(address) ? GeneralName.iPAddress : GeneralName.dNSName, address);
        }
        return new GeneralNames(names);
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Instant now, Duration validity) {
        Instant notBefore = now.minus(Duration.ofMinutes(5)); // a little clock skew between machines
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE), Date.from(notBefore),
                Date.from(now.plus(validity)), subject, pair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has EC P-256 keys", e);
        }
    }

    private static X500Name name(String commonNameOrDistinguishedName) {
        return new X500Name(commonNameOrDistinguishedName.contains("=") ? commonNameOrDistinguishedName
                : "CN=" + commonNameOrDistinguishedName);
    }

    /** The certificate as a PEM CERTIFICATE block. */
    public static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as an unencrypted PKCS#8 PEM PRIVATE KEY block. */
    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** A CA written earlier by {@code memdb cert}: its certificate and its PKCS#8 EC key. */
    public static Issued read(Path certificatePem, Path keyPem) throws IOException {
        try (InputStream in = Files.newInputStream(certificatePem)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            String text = Files.readString(keyPem, StandardCharsets.US_ASCII);
            String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new Issued(key, certificate);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot read the CA in " + certificatePem + " and " + keyPem + ": " + e.getMessage(), e);
        }
    }
}
