package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code connectionsPerNode}: N connections to a node, requests spread over them in turn. */
@ExtendWith(SampledLeakDetection.class)
class ConnectionsPerNodeTest {
    private static final int CONNECTIONS = 8;

    private final FakeNode node = new FakeNode("secret", 1);
    private final MemDb db = MemDbConnections.builder().authKey("secret").node("127.0.0.1", node.port())
            .connectionsPerNode(CONNECTIONS).build();

    @AfterEach
    void tearDown() {
        db.close();
        node.close();
    }

    @Test
    void requestsTakeTheConnectionsInTurnAndEveryOneGetsItsOwnAnswer() throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 10 * CONNECTIONS; i++) writes.add(db.setAsync("k" + i, "v" + i));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 10 * CONNECTIONS; i++) assertEquals("v" + i, db.get("k" + i));

        assertEquals(CONNECTIONS, node.connectionsAccepted.get(), "one connection per slot, each opened once");
        assertEquals(20 * CONNECTIONS, node.requestsReceived.get());
    }

    @Test
    void oneConnectionIsTheDefault() {
        try (MemDb single = MemDbConnections.single("127.0.0.1", node.port(), "secret")) {
            for (int i = 0; i < 20; i++) single.set("k" + i, "v");
        }
        assertEquals(1, node.connectionsAccepted.get());
    }

    @Test
    void aCountOutOfRangeIsRefusedWhenTheClientIsBuilt() {
        for (int bad : new int[] {0, -1, 10_001}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MemDbConnections.builder()
                    .authKey("secret").node("127.0.0.1", node.port()).connectionsPerNode(bad).build());
            assertTrue(refused.getMessage().contains("connectionsPerNode must be between 1 and 10000"), refused.getMessage());
        }
    }
}
