package memdb.node;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a node's TLS material is, as PEM files: its certificate chain, its PKCS#8 private key, and the CA
 * certificate(s) it trusts for its peers (absent: the system trust store). With {@code peerMutual}, nodes
 * present their certificate to each other and the node key is accepted only from a connection whose
 * certificate the CA signed.
 */
public record TlsFiles(Path certificate, Path privateKey, Optional<Path> ca, boolean peerMutual) {
    public TlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(ca, "ca");
        if (peerMutual && ca.isEmpty()) throw new IllegalArgumentException("mutual TLS needs a CA");
    }
}
