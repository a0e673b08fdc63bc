package memdb.crdt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import memdb.protocol.Timestamp;
import memdb.protocol.Wire;

/**
 * A PN-counter CRDT (Shapiro et al., "A comprehensive study of CRDTs", §3.1.2), as MemDB keeps it per
 * key (DESIGN §6): one {@link PnSlot} per node that led increments, each slot changed only by its owner;
 * replicas merge by taking, per slot, the later version (which is the per-field maximum of increments
 * and decrements); the value is the sum of every slot's increments minus its decrements.
 *
 * <p>The {@code epoch} ties a counter to the delete that came before it: a counter made after a
 * tombstone at time T has epoch T (ZERO when the key was never deleted), so a delete at a later time
 * wins over it and a counter of an older epoch never comes back. Merge: the later epoch wins whole; equal
 * epochs merge slot by slot. Merge is commutative, associative and idempotent (a join on a lattice).
 *
 * <p>Immutable. The wire form (docs/protocol.md §5.9) is canonical: slots in ascending id order.
 */
public final class PnCounter {
    /** A limit on slots, so that a damaged or hostile frame cannot make a huge counter. */
    public static final int SLOTS_MAX = 4096;
    public static final PnCounter EMPTY = new PnCounter(Timestamp.ZERO, Map.of());

    private final Timestamp epoch;
    private final TreeMap<Long, PnSlot> slots;

    private PnCounter(Timestamp epoch, Map<Long, PnSlot> slots) {
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        this.slots = new TreeMap<>(slots);
        if (this.slots.size() > SLOTS_MAX) throw new IllegalArgumentException("a counter has at most " + SLOTS_MAX + " slots");
    }

    public static PnCounter of(Timestamp epoch, Collection<PnSlot> slots) {
        TreeMap<Long, PnSlot> bySlot = new TreeMap<>();
        for (PnSlot slot : slots) bySlot.merge(slot.slotId(), slot, PnSlot::max);
        return new PnCounter(epoch, bySlot);
    }

    /** An empty counter of an epoch (made after a delete at that time). */
    public static PnCounter empty(Timestamp epoch) {
        return new PnCounter(epoch, Map.of());
    }

    public Timestamp epoch() {
        return epoch;
    }

    public List<PnSlot> slots() {
        return List.copyOf(slots.values());
    }

    /** The slot of {@code slotId}, or an empty one. */
    public PnSlot slot(long slotId) {
        PnSlot slot = slots.get(slotId);
        return slot != null ? slot : PnSlot.empty(slotId);
    }

    /**
     * The counter's value: the sum of every slot's increments minus decrements. A sum outside the 64-bit
     * range (only reachable by concurrent increments through different nodes, each of which checked its
     * own view) saturates at Long.MAX_VALUE or Long.MIN_VALUE instead of wrapping.
     */
    public long value() {
        long sum = 0;
        for (PnSlot slot : slots.values()) {
            long net = slot.net();
            long next = sum + net;
            if (((sum ^ next) & (net ^ next)) < 0) return net > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // saturate
            sum = next;
        }
        return sum;
    }

    /** Whether any slot remembers operation {@code operationId}: a retry of an increment already counted. */
    public boolean hasApplied(long operationId) {
        for (PnSlot slot : slots.values()) if (slot.recentOperations().contains(operationId)) return true;
        return false;
    }

    /** The slot that remembers {@code operationId}, or null. */
    public PnSlot slotThatApplied(long operationId) {
        for (PnSlot slot : slots.values()) if (slot.recentOperations().contains(operationId)) return slot;
        return null;
    }

    /**
     * This counter with {@code delta} added to slot {@code slotId} (the caller's own) for {@code operationId}.
     *
     * @throws ArithmeticException when the slot's sums or the counter's value would leave the 64-bit range
     */
    public PnCounter add(long slotId, long operationId, long delta) {
        Math.addExact(value(), delta); // refuse what this node can see would overflow the value
        return with(slot(slotId).add(operationId, delta));
    }

    /** This counter with one slot replaced. */
    public PnCounter with(PnSlot slot) {
        TreeMap<Long, PnSlot> next = new TreeMap<>(slots);
        next.put(slot.slotId(), slot);
        return new PnCounter(epoch, next);
    }

    /** The join of two counters: the later epoch whole, or per slot the later version. */
    public PnCounter merge(PnCounter other) {
        int byEpoch = epoch.compareTo(other.epoch);
        if (byEpoch != 0) return byEpoch > 0 ? this : other;
        TreeMap<Long, PnSlot> merged = new TreeMap<>(slots);
        for (PnSlot slot : other.slots.values()) merged.merge(slot.slotId(), slot, PnSlot::max);
        return new PnCounter(epoch, merged);
    }

    /** Whether merging {@code other} in would change nothing (this counter already covers it). */
    public boolean covers(PnCounter other) {
        return merge(other).equals(this);
    }

    // ---- wire form ----

    /** Writes: epoch timestamp, u16 slot count, then per slot u64 id, u64 sequence, u64 increments, u64 decrements, u8 n, n x u64 operation ids. */
    public void encode(ByteBuf out) {
        Wire.writeTimestamp(out, epoch);
        out.writeShort(slots.size());
        for (PnSlot slot : slots.values()) {
            out.writeLong(slot.slotId());
            out.writeLong(slot.sequence());
            out.writeLong(slot.increments());
            out.writeLong(slot.decrements());
            out.writeByte(slot.recentOperations().size());
            for (long operation : slot.recentOperations()) out.writeLong(operation);
        }
    }

    /** The wire form as bytes (the op log's COUNTER record value). */
    public byte[] toBytes() {
        ByteBuf buf = Unpooled.buffer();
        try {
            encode(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Reads {@link #toBytes}; throws MALFORMED_FRAME (a ProtocolException) for bytes that are not a whole counter. */
    public static PnCounter fromBytes(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        PnCounter counter = decode(buf);
        if (buf.isReadable()) throw Wire.malformed(buf.readableBytes() + " bytes after a counter");
        return counter;
    }

    /** Reads {@link #encode}'s form; throws MALFORMED_FRAME for anything else (negative sums, slots out of order...). */
    public static PnCounter decode(ByteBuf in) {
        Timestamp epoch = Wire.readTimestamp(in);
        int count = Wire.readUnsignedShort(in);
        if (count > SLOTS_MAX) throw Wire.malformed("a counter has at most " + SLOTS_MAX + " slots, not " + count);
        TreeMap<Long, PnSlot> slots = new TreeMap<>();
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long id = Wire.readLong(in);
            long sequence = Wire.readLong(in);
            long increments = Wire.readLong(in);
            long decrements = Wire.readLong(in);
            int operationCount = Wire.readUnsignedByte(in);
            if (i > 0 && id <= previous) {
                throw Wire.malformed("counter slots out of order");
            }
            if (sequence < 0 || increments < 0 || decrements < 0) throw Wire.malformed("negative counter slot field");
            if (operationCount > PnSlot.RECENT_OPERATIONS_MAX) throw Wire.malformed("too many operation ids in a counter slot");
            List<Long> operations = new ArrayList<>(operationCount);
            for (int j = 0; j < operationCount; j++) operations.add(Wire.readLong(in));
            slots.put(id, new PnSlot(id, sequence, increments, decrements, operations));
            previous = id;
        }
        return new PnCounter(epoch, slots);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PnCounter c && epoch.equals(c.epoch) && slots.equals(c.slots);
    }

    @Override
    public int hashCode() {
        return epoch.hashCode() * 31 + slots.hashCode();
    }

    @Override
    public String toString() {
        return "PnCounter[" + value() + " @" + epoch + ", " + slots.size() + " slots]";
    }

    /** The slots as an unmodifiable map by id (for tests and dumps). */
    public Map<Long, PnSlot> slotMap() {
        return Collections.unmodifiableMap(slots);
    }
}
