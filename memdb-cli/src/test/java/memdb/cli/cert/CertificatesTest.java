package memdb.cli.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final Certificates certificates = new Certificates(new SecureRandom());

    @TempDir
    Path dir;

    @Test
    void aNodeCertificateIsSignedByTheCaAndNamesItsAddresses() throws Exception {
        Certificates.Issued ca = certificates.newCa("Test CA", NOW, Duration.ofDays(30));
        Certificates.Issued node = certificates.issue(ca, "node1", List.of("127.0.0.1", "localhost", "::1", "db.example"),
                NOW, Duration.ofDays(30));
        X509Certificate cert = node.certificate();
        cert.verify(ca.certificate().getPublicKey());
        ca.certificate().verify(ca.certificate().getPublicKey());
        assertThrows(SignatureException.class, () -> cert.verify(certificates.newCa("Other", NOW, Duration.ofDays(1))
                .certificate().getPublicKey()));
        assertEquals("CN=node1", cert.getSubjectX500Principal().getName());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        Set<String> sans = cert.getSubjectAlternativeNames().stream().map(n -> n.get(0) + "=" + n.get(1)).collect(Collectors.toSet());
        assertTrue(sans.containsAll(Set.of("7=127.0.0.1", "2=localhost", "2=db.example")), sans.toString());
        assertTrue(sans.stream().anyMatch(s -> s.startsWith("7=0:0:0:0:0:0:0:1")), sans.toString());
        assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")), "server and client");
        assertEquals(-1, cert.getBasicConstraints(), "not a CA");
        assertTrue(ca.certificate().getBasicConstraints() >= 0, "the CA is one");
        cert.checkValidity(Date.from(NOW.plus(Duration.ofDays(29))));
        assertThrows(Exception.class, () -> cert.checkValidity(Date.from(NOW.plus(Duration.ofDays(31)))));
    }

    @Test
    void pemFilesReadBackAsTheSameCaAndKey() throws Exception {
        Certificates.Issued ca = certificates.newCa("Test CA", NOW, Duration.ofDays(30));
        Path certPem = Files.writeString(dir.resolve("ca.pem"), Certificates.pem(ca.certificate()));
        Path keyPem = Files.writeString(dir.resolve("ca-key.pem"), Certificates.pem(ca.key()));
        assertTrue(Files.readString(keyPem).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        Certificates.Issued read = Certificates.read(certPem, keyPem);
        assertEquals(ca.certificate(), read.certificate());
        assertEquals(ca.key(), read.key());
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Certificates.pem(ca.certificate()).getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ca.certificate(), parsed);
        certificates.issue(read, "n", List.of("localhost"), NOW, Duration.ofDays(1)).certificate().verify(ca.certificate().getPublicKey());
    }

    @Test
    void addressesAreIpEntriesOrDnsNames() {
        assertTrue(Certificates.isIpAddress("10.0.0.1"));
        assertTrue(Certificates.isIpAddress("fe80::1"));
        assertFalse(Certificates.isIpAddress("localhost"));
        assertFalse(Certificates.isIpAddress("node-1.example.com"));
        assertThrows(IllegalArgumentException.class, () -> certificates.issue(certificates.newCa("c", NOW, Duration.ofDays(1)),
                "n", List.of(), NOW, Duration.ofDays(1)));
    }
}
