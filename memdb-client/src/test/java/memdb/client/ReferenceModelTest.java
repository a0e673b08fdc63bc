package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random bursts of every operation, fired asynchronously without waiting, with the fake answering
 * out of order: each result must equal what a plain HashMap gives for the same sequence. Requests on
 * one connection are written in submission order, so the node applies them in that order.
 */
@ExtendWith(SampledLeakDetection.class)
class ReferenceModelTest extends SingleFakeNodeTest {
    private static final int OPERATIONS = 1500;
    private static final int KEYS = 20;

    ReferenceModelTest() {
        super(node -> MemDbConnections.builder().authKey(FakeCluster.AUTH_KEY).seeds(List.of(node.seed()))
                .inFlightRequestsMax(32).build());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void asyncBurstsMatchAHashMap(long seed) {
        node.reorder = true;
        Random random = new Random(seed);
        Map<String, String> model = new HashMap<>();
        List<CompletableFuture<?>> actual = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < OPERATIONS; i++) {
            String key = "key-" + random.nextInt(KEYS);
            switch (random.nextInt(4)) {
                case 0 -> {
                    String value = random.nextInt(5) == 0 ? "" : "value-" + i;
                    actual.add(db.setAsync(key, value));
                    expected.add(null);
                    model.put(key, value);
                }
                case 1 -> {
                    actual.add(db.getAsync(key));
                    expected.add(model.get(key));
                }
                case 2 -> {
                    actual.add(db.deleteAsync(key));
                    expected.add(model.remove(key) != null);
                }
                default -> {
                    actual.add(db.containsAsync(key));
                    expected.add(model.containsKey(key));
                }
            }
        }
        for (int i = 0; i < OPERATIONS; i++) {
            assertEquals(expected.get(i), actual.get(i).join(), "seed " + seed + ", operation " + i);
        }
    }
}
