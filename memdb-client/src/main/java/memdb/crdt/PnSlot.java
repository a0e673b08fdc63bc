package memdb.crdt;

import java.util.Comparator;
import java.util.List;

/**
 * One node's slot of a {@link PnCounter}: the sum of the increments ({@code increments}) and of the
 * decrements ({@code decrements}) that node led, a {@code sequence} that its owner raises by one with
 * every change, and the ids of the owner's most recent operations (oldest first, at most
 * {@link #RECENT_OPERATIONS_MAX}), so that a retried increment is recognised on any replica that holds
 * the slot.
 *
 * <p>Invariants: every number is non-negative; only the slot's owner makes a new version of it, and each
 * of its versions has a higher sequence and no smaller increments or decrements than the one before, so
 * the highest version under {@link #ORDER} is also the per-field maximum (the PN-counter's merge).
 */
public record PnSlot(long slotId, long sequence, long increments, long decrements, List<Long> recentOperations) {
    /** How many operation ids a slot remembers for idempotent retries. */
    public static final int RECENT_OPERATIONS_MAX = 32;

    /** A total order on versions of one slot: sequence first; the rest only breaks ties of damaged input. */
    public static final Comparator<PnSlot> ORDER = Comparator.comparingLong(PnSlot::sequence)
            .thenComparingLong(PnSlot::increments)
            .thenComparingLong(PnSlot::decrements)
            .thenComparing(PnSlot::recentOperations, PnSlot::compareOperations);

    public PnSlot {
        recentOperations = List.copyOf(recentOperations);
        if (sequence < 0 || increments < 0 || decrements < 0) {
            throw new IllegalArgumentException("a counter slot holds non-negative numbers");
        }
        if (recentOperations.size() > RECENT_OPERATIONS_MAX) {
            throw new IllegalArgumentException("a counter slot remembers at most " + RECENT_OPERATIONS_MAX + " operations");
        }
    }

    /** An empty slot of {@code slotId}, before its owner's first change. */
    public static PnSlot empty(long slotId) {
        return new PnSlot(slotId, 0, 0, 0, List.of());
    }

    /** increments - decrements, exactly (the caller sums them with overflow checks). */
    public long net() {
        return increments - decrements; // both in 0..2^63-1: the difference always fits
    }

    /**
     * The owner's next version after adding {@code delta} for operation {@code operationId}.
     *
     * @throws ArithmeticException when the slot's increments or decrements would leave the 63-bit range
     */
    public PnSlot add(long operationId, long delta) {
        long newIncrements = increments;
        long newDecrements = decrements;
        if (delta >= 0) {
            newIncrements = Math.addExact(increments, delta);
        } else {
            newDecrements = Math.subtractExact(decrements, delta); // decrements - delta = decrements + |delta|
        }
        java.util.ArrayList<Long> operations = new java.util.ArrayList<>(recentOperations);
        operations.add(operationId);
        if (operations.size() > RECENT_OPERATIONS_MAX) operations.remove(0);
        return new PnSlot(slotId, Math.addExact(sequence, 1), newIncrements, newDecrements, operations);
    }

    /** The later of two versions of this slot. */
    public PnSlot max(PnSlot other) {
        if (other.slotId != slotId) throw new IllegalArgumentException("slots " + slotId + " and " + other.slotId + " differ");
        return ORDER.compare(other, this) > 0 ? other : this;
    }

    private static int compareOperations(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }
}
