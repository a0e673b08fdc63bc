package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-key, node-key, admin-key and the TLS files: how they resolve, and that no key is ever shown. */
class SecurityConfigTest {
    private static final List<String> SECRETS = List.of("the-auth-secret", "the-client-secret", "the-node-secret");

    @TempDir
    Path dir;

    private ServerConfig resolve(Map<String, String> flags) {
        return new ConfigResolver(null, "/home/ann").resolve(flags, Map.of(), null);
    }

    private static String messageOf(Runnable action) {
        return assertThrows(ConfigException.class, action::run).getMessage();
    }

    @Test
    void withoutTheNewKeysOneKeyServesEverythingAsBefore() {
        ServerConfig config = resolve(Map.of("auth-key", "k"));
        assertEquals(SecurityConfig.DEFAULTS, config.security());
        NodeSecurity security = NodeSecurity.of(config);
        assertEquals("k", security.peerKey());
        assertEquals("k", security.clientKey());
        assertEquals(List.of("k"), security.adminKeys());
        assertFalse(security.keys().separateKeys());
    }

    @Test
    void clientAndNodeKeysDefaultToTheAuthKeyAndTheAdminApiTakesTheKeyTheConfigSays() {
        NodeSecurity onlyNodeKey = NodeSecurity.of(resolve(Map.of("auth-key", "a", "node-key", "n")));
        assertEquals("a", onlyNodeKey.clientKey());
        assertEquals("n", onlyNodeKey.peerKey());
        assertEquals(List.of("n"), onlyNodeKey.adminKeys());
        Map<String, String> flags = new HashMap<>(Map.of("client-key", "c", "node-key", "n"));
        flags.put("admin-key", "client");
        assertEquals(List.of("c"), NodeSecurity.of(resolve(flags)).adminKeys());
        flags.put("admin-key", "ANY");
        assertEquals(List.of("n", "c"), NodeSecurity.of(resolve(flags)).adminKeys());
        flags.put("admin-key", "root");
        String message = messageOf(() -> resolve(flags));
        assertTrue(message.contains("admin-key") && message.contains("node, client or any"), message);
    }

    @Test
    void noKeyIsEverShownLoggedOrEchoed() {
        ServerConfig config = resolve(Map.of("auth-key", SECRETS.get(0), "client-key", SECRETS.get(1), "node-key", SECRETS.get(2)));
        List<String> texts = new java.util.ArrayList<>();
        texts.add(config.toString());
        texts.add(NodeSecurity.of(config).toString());
        for (ConfigKey key : ConfigKey.values()) texts.add(ConfigValues.shown(config, key));
        for (ConfigKey key : List.of(ConfigKey.AUTH_KEY, ConfigKey.CLIENT_KEY, ConfigKey.NODE_KEY)) {
            assertTrue(key.secret());
            assertEquals(ConfigValues.HIDDEN, ConfigValues.shown(config, key));
            texts.add(messageOf(() -> resolve(Map.of(key.key(), ""))));
            texts.add(new Setting(SECRETS.get(1), "option --" + key.key()).invalid(key, "bad").getMessage());
        }
        ConfigLoader loader = new ConfigLoader(Map.of("client-key", SECRETS.get(1), "node-key", SECRETS.get(2)), Map.of(), null,
                new ConfigResolver(null, "/home/ann"));
        RunningConfig running = new RunningConfig(loader.get(), loader, settings -> CompletableFuture.completedFuture(null));
        running.entries().forEach(entry -> texts.add(entry.toString()));
        for (String text : texts) for (String secret : SECRETS) assertFalse(text.contains(secret), text);
        assertEquals(ConfigValues.FROM_AUTH_KEY, ConfigValues.shown(resolve(Map.of()), ConfigKey.CLIENT_KEY));
    }

    @Test
    void tlsNeedsACertificateAndAKeyThatAreThereAndMutualTlsACa() throws IOException {
        Path cert = Files.writeString(dir.resolve("node.pem"), "x");
        Path key = Files.writeString(dir.resolve("node-key.pem"), "x");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        assertEquals(Optional.empty(), resolve(Map.of()).security().tls());
        TlsFiles files = resolve(Map.of("tls-cert", cert.toString(), "tls-key", key.toString(), "tls-ca", ca.toString(),
                "tls-peer-mutual", "true")).security().tls().orElseThrow();
        assertEquals(new TlsFiles(cert, key, Optional.of(ca), true), files);
        assertTrue(messageOf(() -> resolve(Map.of("tls-cert", cert.toString()))).contains("tls-cert needs tls-key"));
        assertTrue(messageOf(() -> resolve(Map.of("tls-key", key.toString()))).contains("tls-key needs tls-cert"));
        assertTrue(messageOf(() -> resolve(Map.of("tls-ca", ca.toString()))).contains("tls-ca needs tls-cert"));
        assertTrue(messageOf(() -> resolve(Map.of("tls-cert", cert.toString(), "tls-key", key.toString(),
                "tls-peer-mutual", "true"))).contains("mutual TLS needs tls-ca"));
        String missing = messageOf(() -> resolve(Map.of("tls-cert", dir.resolve("nope.pem").toString(), "tls-key", key.toString())));
        assertTrue(missing.contains("tls-cert") && missing.contains("no readable file"), missing);
        String unusable = messageOf(() -> NodeSecurity.of(resolve(Map.of("auth-key", "k", "tls-cert", cert.toString(),
                "tls-key", key.toString()))));
        assertTrue(unusable.contains("TLS") && unusable.contains(cert.toString()), unusable);
    }

    @Test
    void securitySettingsWrittenBackAsTextParseToTheSameConfig() throws IOException {
        Path cert = Files.writeString(dir.resolve("node.pem"), "x");
        Path key = Files.writeString(dir.resolve("node-key.pem"), "x");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        ServerConfig config = resolve(Map.of("client-key", "c", "node-key", "n", "admin-key", "any", "tls-cert", cert.toString(),
                "tls-key", key.toString(), "tls-ca", ca.toString(), "tls-peer-mutual", "yes"));
        assertEquals(config, ResolvedConfig.embedded(config).with(Map.of()));
    }
}
