package memdb.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.StreamMessages;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/** What max-memory and max-key-bytes refuse, and what they never refuse. */
class WriteLimitsTest {
    private static final ClusterRequests.ReplicaWrite VALUE =
            new ClusterRequests.ReplicaWrite(key(10), false, new Timestamp(1, 1), new byte[91]);
    private static final ClusterRequests.ReplicaWrite TOMBSTONE =
            new ClusterRequests.ReplicaWrite(key(10), true, new Timestamp(2, 1), new byte[0]);

    private final AtomicLong used = new AtomicLong();
    private final WriteLimits limits = new WriteLimits(used::get);

    private static Key key(int bytes) {
        byte[] k = new byte[bytes];
        java.util.Arrays.fill(k, (byte) 'k');
        return Key.wrap(k);
    }

    private ErrorCode refusal(Request request) {
        return assertThrows(MemDbException.class, () -> limits.admit(request)).code();
    }

    @Test
    void unconfiguredItRefusesNothingWithinTheProtocolsLimits() {
        used.set(Long.MAX_VALUE / 2);
        limits.admit(new Requests.Set(key(1024), new byte[100], Consistency.DEFAULT));
        assertEquals(new WriteLimits.Snapshot(Long.MAX_VALUE, Long.MAX_VALUE / 2, 0, 0), limits.snapshot());
    }

    @Test
    void everyWriteThatAddsDataIsRefusedWhenItWouldPassMaxMemory() {
        limits.configure(1000, 1024);
        used.set(900);
        limits.admit(new Requests.Set(key(10), new byte[90], Consistency.DEFAULT)); // exactly up to the ceiling
        List<Request> writes = List.of(
                new Requests.Set(key(10), new byte[91], Consistency.DEFAULT),
                new PaxosMessages.Cas(key(10), null, new byte[91]),
                VALUE, new ClusterRequests.Hints(List.of(VALUE)), new StreamMessages.StreamPush(List.of(TOMBSTONE, VALUE)));
        for (Request write : writes) assertEquals(ErrorCode.OUT_OF_MEMORY, refusal(write), write.toString());
        used.set(1000);
        assertEquals(ErrorCode.OUT_OF_MEMORY, refusal(new CounterMessages.Add(key(3), 1, 1, Consistency.DEFAULT)));
        assertEquals(6, limits.snapshot().refusedOutOfMemory());
        MemDbException e = assertThrows(MemDbException.class, () -> limits.admit(VALUE));
        assertTrue(e.getMessage().contains("max-memory"), e.getMessage());
    }

    @Test
    void readsDeletesAndTombstonesAreNeverRefused() {
        limits.configure(1000, 1024);
        used.set(5000);
        for (Request request : List.of(new Requests.Get(key(5), Consistency.DEFAULT), new Requests.Delete(key(5), Consistency.DEFAULT),
                new Requests.Contains(key(5), Consistency.DEFAULT), new CounterMessages.Get(key(5), Consistency.DEFAULT),
                new PaxosMessages.SerialGet(key(5)), TOMBSTONE, new ClusterRequests.Hints(List.of(TOMBSTONE)),
                new ClusterRequests.ReplicaRead(key(5)), new Requests.Ping())) {
            limits.admit(request);
        }
        assertEquals(0, limits.snapshot().refusedOutOfMemory());
    }

    @Test
    void aClientKeyLongerThanMaxKeyBytesIsRefusedWhateverTheOperation() {
        limits.configure(1L << 30, 16);
        limits.admit(new Requests.Get(key(16), Consistency.DEFAULT));
        for (Request request : List.of(new Requests.Get(key(17), Consistency.DEFAULT),
                new Requests.Set(key(17), new byte[1], Consistency.DEFAULT), new Requests.Delete(key(17), Consistency.DEFAULT),
                new CounterMessages.Add(key(17), 1, 1, Consistency.DEFAULT), new PaxosMessages.Cas(key(17), null, new byte[1]))) {
            MemDbException e = assertThrows(MemDbException.class, () -> limits.admit(request));
            assertEquals(ErrorCode.KEY_TOO_LONG, e.code());
            assertTrue(e.getMessage().contains("max-key-bytes"), e.getMessage());
        }
        assertEquals(5, limits.snapshot().refusedKeyTooLong());
    }

    @Test
    void limitsOutOfRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> limits.configure(0, 10));
        assertThrows(IllegalArgumentException.class, () -> limits.configure(10, Key.BYTES_MAX + 1));
    }
}
