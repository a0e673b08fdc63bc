package memdb.cli;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import memdb.tls.ClientTls;
import picocli.CommandLine.Option;

/** Options every command that talks to a node shares: the auth key, the output format, the time limit. */
class CommonOptions extends FormatOptions {
    @Option(names = {"-a", "--auth-key"}, paramLabel = "KEY",
            description = "The cluster's auth key (prefer env MEMDB_AUTH_KEY: a key on the command line shows in ps "
                    + "and shell history; default: the key file a local server wrote).")
    String authKey;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "${env:MEMDB_TIMEOUT_MS:-5000}",
            description = "Give up after this many milliseconds (env MEMDB_TIMEOUT_MS; default 5000).")
    long timeoutMs;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect over TLS, trusting the CA certificate(s) in this PEM file, e.g. the ca.pem of memdb cert "
                    + "(env MEMDB_TLS_CA).")
    Path tlsCa;

    @Option(names = "--tls", description = "Connect over TLS, trusting the system's CAs (env MEMDB_TLS=true; implied by --tls-ca).")
    boolean tls;

    /** The CA file to trust: --tls-ca, else MEMDB_TLS_CA; null when neither is given. */
    Path tlsCa(Io io) {
        if (tlsCa != null) return tlsCa;
        String fromEnv = io.env("MEMDB_TLS_CA");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.strip());
    }

    /** True when the connection is to use TLS (--tls, --tls-ca, MEMDB_TLS=true or MEMDB_TLS_CA). */
    boolean tlsOn(Io io) {
        return tls || tlsCa(io) != null || "true".equalsIgnoreCase(io.env("MEMDB_TLS")) || "1".equals(io.env("MEMDB_TLS"));
    }

    /** What the binary protocol connects with: null for plaintext. */
    ClientTls clientTls(Io io) {
        if (!tlsOn(io)) return null;
        Path ca = tlsCa(io);
        try {
            return ca != null ? ClientTls.trusting(ca) : ClientTls.systemTrust();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
    }

    /** What the admin API's HTTPS connects with: null for plain HTTP. */
    SSLContext httpsContext(Io io) {
        if (!tlsOn(io)) return null;
        try {
            return ClientTls.jdkContext(tlsCa(io));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
    }

    /** How the connection is secured, as a value to compare (the REPL keeps its client while it stays the same). */
    String tlsIdentity(Io io) {
        return !tlsOn(io) ? "plaintext" : tlsCa(io) != null ? "ca:" + tlsCa(io).toAbsolutePath() : "system";
    }

    long timeoutMs() {
        if (timeoutMs <= 0) throw new UserError(ExitCode.USAGE, "--timeout-ms must be positive");
        return timeoutMs;
    }
}
