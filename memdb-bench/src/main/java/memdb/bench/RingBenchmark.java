package memdb.bench;

import java.util.List;
import memdb.protocol.Key;
import memdb.ring.Ring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The ring lookup (memdb.ring.Ring): the preference list (N=3) of a key on a ring of {@code nodes} nodes with
 * 128 vnodes each, which every request's coordinator computes; keys round-robin over 4096 distinct ones.
 */
public class RingBenchmark extends BenchmarkDefaults {
    private static final int KEYS = 4096;

    @Param({"3", "12"})
    public int nodes;

    private Ring ring;
    private final Key[] keys = new Key[KEYS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= nodes; i++) ids.add(i);
        ring = Ring.of(ids, Ring.VNODES_DEFAULT);
        for (int i = 0; i < KEYS; i++) keys[i] = Key.of(String.format("key:%012d", i));
    }

    @Benchmark
    public List<Integer> preferenceList() {
        next = (next + 1) & (KEYS - 1);
        return ring.preferenceList(keys[next], 3);
    }
}
