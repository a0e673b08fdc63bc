package memdb.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import memdb.client.PeerClient;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persistence off}: a node alone with no op log (as Redis without appendonly and save). It keeps
 * nothing on disk, serves reads and writes from memory, refuses to be configured into a cluster, and
 * answers peers' gossip with FORBIDDEN so that no cluster forms through it.
 */
class PersistenceOffTest {
    private static final String KEY = "persistence-off-test-key";
    private final ConfigResolver resolver = new ConfigResolver(null, "/home/ann");

    @TempDir
    Path dir;

    @Test
    void onByDefaultAndParsedLikeEveryOtherSwitch() {
        assertTrue(resolver.resolve(Map.of(), Map.of(), null).storage().persistence());
        for (String off : List.of("off", "OFF", "false", "no")) {
            ServerConfig config = resolver.resolve(Map.of("persistence", off), Map.of(), null);
            assertFalse(config.storage().persistence(), off);
            assertEquals("off", ConfigValues.raw(config, ConfigKey.PERSISTENCE));
        }
        assertFalse(resolver.resolve(Map.of(), Map.of("MEMDB_PERSISTENCE", "off"), null).storage().persistence());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> resolver.resolve(Map.of("persistence", "sometimes"), Map.of(), null));
        assertTrue(bad.getMessage().contains("persistence") && bad.getMessage().contains("expected on or off"), bad.getMessage());
    }

    @Test
    void aNodeWithoutPersistenceIsRefusedSeedsAndJoin() {
        ConfigException seeds = assertThrows(ConfigException.class,
                () -> resolver.resolve(Map.of("persistence", "off", "seeds", "127.0.0.1:10001"), Map.of(), null));
        assertTrue(seeds.getMessage().contains("persistence") && seeds.getMessage().contains("drop seeds"), seeds.getMessage());
        ConfigException join = assertThrows(ConfigException.class,
                () -> resolver.resolve(Map.of("persistence", "off", "join", "true", "seeds", "127.0.0.1:10001"), Map.of(), null));
        assertTrue(join.getMessage().contains("drop join"), join.getMessage());
    }

    @Test
    void servesFromMemoryWritesNothingToDiskAndRefusesGossip() throws Exception {
        Path dataDir = dir.resolve("never-created");
        Node node = Node.start(resolver.resolve(Map.of("port", "0", "admin-port", "0", "auth-key", KEY,
                "data-dir", dataDir.toString(), "persistence", "off"), Map.of(), null));
        try (PeerClient client = new PeerClient(KEY, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            String address = "127.0.0.1:" + node.port();
            Key key = Key.of("greeting");
            assertInstanceOf(Responses.Written.class, client.call(address, new Requests.Set(key, "hello".getBytes(), Consistency.ONE), 0)
                    .get(10, TimeUnit.SECONDS));
            var read = (Responses.Value) client.call(address, new Requests.Get(key, Consistency.ONE), 0).get(10, TimeUnit.SECONDS);
            assertArrayEquals("hello".getBytes(), read.value());

            var refused = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> client.call(address, new ClusterRequests.Gossip(List.of()), 0).get(10, TimeUnit.SECONDS));
            MemDbException error = assertInstanceOf(MemDbException.class, refused.getCause());
            assertEquals(ErrorCode.FORBIDDEN, error.code());
            assertTrue(error.getMessage().contains("persistence off"), error.getMessage());
        } finally {
            node.close();
        }
        assertFalse(Files.exists(dataDir), "nothing is written: not even the data directory");
    }
}
