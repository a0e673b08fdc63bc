package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The boot's warm-up thread resolves the node's security exactly as the boot thread would, failures included. */
class BootWarmupTest {
    @TempDir
    Path dir;

    private static ServerConfig resolve(Map<String, String> flags) {
        return new ConfigResolver(null, "/home/ann").resolve(flags, Map.of(), null);
    }

    @Test
    void theSecurityIsTheOneTheBootWouldResolve() {
        ServerConfig config = resolve(Map.of("auth-key", "k", "client-key", "c"));
        NodeSecurity direct = NodeSecurity.of(config);
        NodeSecurity viaWarmup = BootWarmup.start(config).security();
        assertEquals(direct.toString(), viaWarmup.toString());
        assertEquals(direct.clientKey(), viaWarmup.clientKey());
        assertEquals(direct.peerKey(), viaWarmup.peerKey());
        assertEquals(direct.adminKeys(), viaWarmup.adminKeys());
    }

    @Test
    void aSecurityFailureIsThrownWhereTheBootAsksForIt() throws IOException {
        Path cert = Files.writeString(dir.resolve("node.pem"), "x");
        Path key = Files.writeString(dir.resolve("node-key.pem"), "x");
        ServerConfig config = resolve(Map.of("auth-key", "k", "tls-cert", cert.toString(), "tls-key", key.toString()));
        ConfigException direct = assertThrows(ConfigException.class, () -> NodeSecurity.of(config));
        BootWarmup warmup = BootWarmup.start(config); // does not throw: the failure waits for security()
        ConfigException viaWarmup = assertThrows(ConfigException.class, warmup::security);
        assertEquals(direct.getMessage(), viaWarmup.getMessage());
        assertTrue(viaWarmup.getMessage().contains("TLS"), viaWarmup.getMessage());
    }
}
