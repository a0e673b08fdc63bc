package memdb.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import memdb.clock.LamportClock;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test: on a single node every write is the newest, so the core must behave exactly like a plain
 * map, whatever Lamport times the requests carry; and its write timestamps must strictly increase and lie
 * above every time it has received. Seeded, so a failure names its seed.
 */
class NodeCoreModelTest {
    private static final int OPERATIONS = 5_000;
    private static final int NODE_ID = 3;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20261126})
    void behavesLikeAMap(long seed) {
        Random random = new Random(seed);
        RecordingOpLog opLog = new RecordingOpLog(false);
        NodeCore core = SingleNode.core(new LamportClock(NODE_ID, 0), new Store(), opLog, 64);
        Map<Key, byte[]> model = new HashMap<>();
        long highestReceived = 0;
        Timestamp lastWrite = Timestamp.ZERO;
        for (int i = 0; i < OPERATIONS; i++) {
            Key key = Key.of("k" + random.nextInt(20));
            long lamport = random.nextInt(4) == 0 ? random.nextInt(100_000) : 0;
            highestReceived = Math.max(highestReceived, lamport);
            Request request = randomRequest(random, key);
            Response response = SingleNode.handle(core, request, lamport);
            String where = "seed " + seed + ", operation " + i + ": " + request;
            if (response instanceof Responses.Written written) {
                assertEquals(model.containsKey(key), written.existed(), where);
                assertTrue(written.timestamp().isAfter(lastWrite) && written.timestamp().lamport() > highestReceived, where);
                lastWrite = written.timestamp();
                if (request instanceof Requests.Set set) model.put(key, set.value()); else model.remove(key);
            } else if (response instanceof Responses.Value value) {
                assertEquals(model.containsKey(key), value.isPresent(), where);
                if (value.isPresent()) assertArrayEquals(model.get(key), value.value(), where);
            } else {
                assertEquals(new Responses.Bool(model.containsKey(key)), response, where);
            }
        }
        assertTrue(opLog.entries.size() > 0);
    }

    private static Request randomRequest(Random random, Key key) {
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] value = new byte[random.nextInt(65)];
                random.nextBytes(value);
                yield new Requests.Set(key, value, Consistency.DEFAULT);
            }
            case 1 -> new Requests.Delete(key, Consistency.DEFAULT);
            case 2 -> new Requests.Get(key, Consistency.ONE);
            default -> new Requests.Contains(key, Consistency.ONE);
        };
    }
}
