package memdb.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import memdb.protocol.ProtocolException;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PN-counter's laws, checked on seeded random histories: replicas that each saw some of the owners'
 * versions (in any order) merge commutatively, associatively and idempotently, and the merge of all of
 * them has the value of a dumb reference (the sum of every delta applied).
 */
class PnCounterTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 200);
    }

    /** Three owners make versions of their slots; returns random partial views, as replicas would hold. */
    private static List<PnCounter> views(Random random, long[] expected) {
        List<PnCounter> history = new ArrayList<>();
        PnCounter[] owners = {PnCounter.EMPTY, PnCounter.EMPTY, PnCounter.EMPTY};
        long operation = 0;
        for (int step = 0; step < 30; step++) {
            int owner = random.nextInt(owners.length);
            long delta = random.nextInt(21) - 10;
            owners[owner] = owners[owner].add(owner + 1, ++operation, delta);
            expected[0] += delta;
            history.add(owners[owner]);
            if (random.nextInt(4) == 0) { // an owner hears another's slot
                int other = random.nextInt(owners.length);
                owners[owner] = owners[owner].merge(owners[other]);
            }
        }
        List<PnCounter> views = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            PnCounter view = PnCounter.EMPTY;
            for (PnCounter version : history) if (random.nextBoolean()) view = view.merge(version);
            views.add(view);
        }
        for (PnCounter owner : owners) views.add(owner); // the owners' own states, together complete
        return views;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mergeIsCommutativeAssociativeIdempotentAndSumsEveryDelta(long seed) {
        Random random = new Random(seed);
        long[] expected = {0};
        List<PnCounter> views = views(random, expected);
        PnCounter a = views.get(random.nextInt(views.size()));
        PnCounter b = views.get(random.nextInt(views.size()));
        PnCounter c = views.get(random.nextInt(views.size()));
        assertEquals(a.merge(b), b.merge(a), "commutative");
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)), "associative");
        assertEquals(a, a.merge(a), "idempotent");
        assertTrue(a.merge(b).covers(a) && a.merge(b).covers(b), "the merge covers both");
        PnCounter all = PnCounter.EMPTY;
        List<PnCounter> shuffled = new ArrayList<>(views);
        java.util.Collections.shuffle(shuffled, random);
        for (PnCounter view : shuffled) all = all.merge(view);
        assertEquals(expected[0], all.value(), "the merge of every replica counts every delta once");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void wireFormRoundTrips(long seed) {
        Random random = new Random(seed);
        long[] ignored = {0};
        for (PnCounter counter : views(random, ignored)) {
            ByteBuf buf = Unpooled.buffer();
            counter.encode(buf);
            assertEquals(counter, PnCounter.decode(buf));
            assertEquals(0, buf.readableBytes());
            buf.release();
        }
    }

    @Test
    void aLaterEpochWinsWhole() {
        PnCounter old = PnCounter.EMPTY.add(1, 1, 100);
        PnCounter afterDelete = PnCounter.empty(new Timestamp(5, 1)).add(2, 2, 3);
        assertEquals(afterDelete, old.merge(afterDelete));
        assertEquals(afterDelete, afterDelete.merge(old));
        assertEquals(3, old.merge(afterDelete).value());
    }

    @Test
    void rememberedOperationsAreBounded() {
        PnCounter counter = PnCounter.EMPTY;
        for (long op = 1; op <= PnSlot.RECENT_OPERATIONS_MAX + 5; op++) counter = counter.add(9, op, 1);
        assertFalse(counter.hasApplied(1));
        assertTrue(counter.hasApplied(PnSlot.RECENT_OPERATIONS_MAX + 5));
        assertEquals(PnSlot.RECENT_OPERATIONS_MAX, counter.slot(9).recentOperations().size());
        assertEquals(9, counter.slotThatApplied(PnSlot.RECENT_OPERATIONS_MAX + 5).slotId());
    }

    @Test
    void overflowIsRefusedNotWrapped() {
        PnCounter max = PnCounter.EMPTY.add(1, 1, Long.MAX_VALUE);
        assertThrows(ArithmeticException.class, () -> max.add(1, 2, 1));
        assertThrows(ArithmeticException.class, () -> max.add(2, 2, 1), "another slot: the value would overflow");
        assertEquals(0, max.add(2, 2, -Long.MAX_VALUE).value());
        assertThrows(ArithmeticException.class, () -> PnCounter.EMPTY.add(1, 1, Long.MIN_VALUE), "a slot's decrements are 63-bit");
        PnCounter min = PnCounter.EMPTY.add(1, 1, -Long.MAX_VALUE);
        assertThrows(ArithmeticException.class, () -> min.add(2, 2, -2));
    }

    @Test
    void aValueBeyondTheRangeSaturates() {
        PnCounter a = PnCounter.EMPTY.add(1, 1, Long.MAX_VALUE);
        PnCounter b = PnCounter.EMPTY.add(2, 2, 5); // concurrent, through another leader
        assertEquals(Long.MAX_VALUE, a.merge(b).value());
        PnCounter c = PnCounter.EMPTY.add(1, 1, -Long.MAX_VALUE);
        PnCounter d = PnCounter.EMPTY.add(2, 2, -5);
        assertEquals(Long.MIN_VALUE, c.merge(d).value());
    }

    @Test
    void decodingRefusesSlotsOutOfOrder() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeLong(0).writeShort(0).writeShort(2);
        for (long id : new long[] {5, 3}) buf.writeLong(id).writeLong(1).writeLong(1).writeLong(0).writeByte(0);
        assertThrows(ProtocolException.class, () -> PnCounter.decode(buf));
        buf.release();
    }
}
