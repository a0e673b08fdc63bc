package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import memdb.node.Node;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node (file op log) keeps its counters and its counter slot across a restart, and counts retries once. */
class CounterPersistenceTest {
    @TempDir
    Path dir;

    private static long add(WireClient client, long operationId, long delta) throws Exception {
        return ((CounterMessages.State) client.call(new CounterMessages.Add(Key.of("hits"), operationId, delta,
                Consistency.DEFAULT))).value();
    }

    @Test
    void countersSurviveARestartAndCountOnInAFreshSlot() throws Exception {
        Path dataDir = dir.resolve("data");
        Node node = NodeServerTest.startNode(dataDir, Map.of("fsync", "always"));
        long slots;
        try (WireClient client = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            assertEquals(5, add(client, 1, 5));
            assertEquals(2, add(client, 2, -3));
            slots = ((CounterMessages.State) client.call(new CounterMessages.Read(Key.of("hits")))).counter().slots().size();
        } finally {
            node.close();
        }
        node = NodeServerTest.startNode(dataDir, Map.of("fsync", "always"));
        try (WireClient client = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            assertEquals(2, add(client, 2, -3), "the retry is recognised after the restart");
            assertEquals(12, add(client, 3, 10));
            var counter = ((CounterMessages.State) client.call(new CounterMessages.Get(Key.of("hits"), Consistency.ONE))).counter();
            assertEquals(slots + 1, counter.slots().size(), "a restart counts on in a fresh slot (docs/counters.md)");
            assertEquals(List.of(2L, 1L), counter.slots().stream().map(slot -> slot.sequence()).sorted(Comparator.reverseOrder()).toList(),
                    "the old slot as it was (two increments), the new one with one");
        } finally {
            node.close();
        }
    }
}
