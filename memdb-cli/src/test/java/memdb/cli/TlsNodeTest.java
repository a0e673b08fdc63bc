package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import memdb.node.ConfigResolver;
import memdb.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One in-process node on TLS with a certificate from memdb cert, and the CLI in-process: who gets in, and what the others hear. */
class TlsNodeTest {
    private static final String KEY = "tls-node-test-key";

    /** Made once for the class: making keys is slow on a loaded machine. */
    @TempDir
    static Path certs;

    @TempDir
    Path dir;
    private Node node;
    private Path ca;
    private Cli cli;

    private Node start(Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>(Map.of("port", Integer.toString(MemdbProcesses.freePort()), "admin-port", "0", "auth-key", KEY,
                "data-dir", dir.resolve("db").toString(), "fsync", "no"));
        flags.putAll(extra);
        return Node.start(new ConfigResolver(null, dir.toString()).resolve(flags, Map.of(), null));
    }

    @BeforeAll
    static void makeCertificates() {
        Cli plain = new Cli(Map.of("NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);
        assertEquals(0, plain.run("cert", certs.resolve("ours").toString()).exitCode());
        assertEquals(0, plain.run("cert", certs.resolve("other").toString()).exitCode());
    }

    @BeforeEach
    void startTlsNode() {
        ca = certs.resolve("ours/ca.pem");
        node = start(Map.of("tls-cert", certs.resolve("ours/node.pem").toString(), "tls-key", certs.resolve("ours/node-key.pem").toString(),
                "resp-port", Integer.toString(MemdbProcesses.freePort())));
        cli = new Cli(Map.of("MEMDB_SEEDS", "127.0.0.1:" + node.port(), "MEMDB_AUTH_KEY", KEY, "MEMDB_ADMIN",
                "127.0.0.1:" + node.adminPort(), "MEMDB_TIMEOUT_MS", "10000", "NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aClientWithTheCaIsServedOverTls() {
        Cli tls = cli.withEnv("MEMDB_TLS_CA", ca.toString());
        Cli.Result set = tls.run("set", "k", "v");
        assertEquals(0, set.exitCode(), set.stderr());
        Cli.Result get = tls.run("get", "k");
        assertEquals("v\n", get.stdout(), get.stderr());
        Cli.Result health = cli.run("config", "get", "tls-cert", "--tls-ca", ca.toString());
        assertEquals(0, health.exitCode(), health.stderr());
        assertTrue(health.stdout().contains("node.pem"), health.stdout());
    }

    @Test
    void aPlaintextClientIsRefusedAtOnceWithAMessageThatSaysTls() {
        Cli.Result refused = cli.run("get", "k");
        assertEquals(ExitCode.AUTH_REFUSED, refused.exitCode());
        assertTrue(refused.stderr().contains("accepts TLS only"), refused.stderr());
        Cli.Result admin = cli.run("cluster", "status");
        assertTrue(admin.exitCode() != 0 && admin.stderr().contains("TLS"), admin.stderr());
    }

    @Test
    void aCaThatDidNotSignTheNodesCertificateFailsTheHandshakeWithAHint() {
        Cli.Result wrong = cli.withEnv("MEMDB_TLS_CA", certs.resolve("other/ca.pem").toString()).run("get", "k");
        assertEquals(ExitCode.UNAVAILABLE, wrong.exitCode());
        assertTrue(wrong.stderr().contains("TLS handshake") && wrong.stderr().contains("--tls-ca"), wrong.stderr());
        Cli.Result admin = cli.withEnv("MEMDB_TLS_CA", certs.resolve("other/ca.pem").toString()).run("cluster", "status");
        assertEquals(ExitCode.UNAVAILABLE, admin.exitCode());
        assertTrue(admin.stderr().contains("TLS handshake"), admin.stderr());
    }

    @Test
    void aTlsClientAtAPlaintextNodeIsToldTheNodeDoesNotSpeakTls() {
        try (Node plain = start(Map.of("data-dir", dir.resolve("plain").toString()))) {
            Cli.Result result = cli.withEnv("MEMDB_SEEDS", "127.0.0.1:" + plain.port()).withEnv("MEMDB_TLS_CA", ca.toString())
                    .run("get", "k");
            assertEquals(ExitCode.AUTH_REFUSED, result.exitCode(), result.stderr());
            assertTrue(result.stderr().contains("does not speak TLS"), result.stderr());
        }
    }

    @Test
    void aPlaintextRedisClientAtTheTlsRespPortGetsAnError() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.respPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("-ERR") && answer.contains("TLS"), answer);
        }
    }
}
