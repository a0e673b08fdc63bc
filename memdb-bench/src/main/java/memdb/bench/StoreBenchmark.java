package memdb.bench;

import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The in-memory store (memdb.store.Store): a last-writer-wins put (apply of a newer version) and a get, over
 * {@code keys} keys of the form key:%012d with 100-byte values, each operation on the next key round-robin.
 */
public class StoreBenchmark extends BenchmarkDefaults {
    @Param({"100000"})
    public int keys;

    private Store store;
    private Key[] keyArray;
    private final byte[] value = new byte[100];
    private long lamport;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        store = new Store();
        keyArray = new Key[keys];
        for (int i = 0; i < keys; i++) {
            keyArray[i] = Key.of(String.format("key:%012d", i));
            store.apply(keyArray[i], Versioned.value(new Timestamp(++lamport, 1), value));
        }
    }

    private Key nextKey() {
        if (++next == keys) next = 0;
        return keyArray[next];
    }

    @Benchmark
    public Store.Applied put() {
        return store.apply(nextKey(), Versioned.value(new Timestamp(++lamport, 1), value));
    }

    @Benchmark
    public byte[] get() {
        return store.getValue(nextKey());
    }
}
