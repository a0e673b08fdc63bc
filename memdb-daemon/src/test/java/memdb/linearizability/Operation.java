package memdb.linearizability;

/**
 * An invocation paired with its completion: the unit the checker linearizes (Wing and Gong 1993 call
 * these "operations"; Porcupine, {@code Operation}). Failed operations never become one: they were
 * definitely not applied, so the checker can ignore them.
 *
 * <p>Invariants: {@code invokeIndex < returnIndex}; {@code output == null} exactly when the outcome is
 * unknown, and then {@code returnIndex == OPEN} — the operation may take effect at any later point.
 *
 * @param id dense index in {@link History#operations()}, used as the bit in the checker's bitset
 * @param invokeIndex position of the invoke event in the history (real-time order)
 * @param returnIndex position of the completion event, or {@link #OPEN} for unknown outcomes
 */
public record Operation(
        int id, int process, Input input, Output output, int invokeIndex, int returnIndex, long invokeTime, long returnTime) {

    public static final int OPEN = Integer.MAX_VALUE;

    public Operation {
        if (invokeIndex >= returnIndex) {
            throw new IllegalStateException("operation " + id + " returns before it is invoked");
        }
        if ((output == null) != (returnIndex == OPEN)) {
            throw new IllegalStateException("operation " + id + ": an unknown outcome must stay open");
        }
        if (output != null && !output.answers(input)) {
            throw new IllegalArgumentException("operation " + id + ": output " + output + " does not answer " + input);
        }
    }

    public boolean unknown() {
        return output == null;
    }

    /** Real-time order: this one completed before {@code other} was invoked, so it must linearize first. */
    public boolean precedes(Operation other) {
        return returnIndex < other.invokeIndex;
    }

    /** Renumbered copy, for a sub-history. */
    Operation withId(int newId) {
        return new Operation(newId, process, input, output, invokeIndex, returnIndex, invokeTime, returnTime);
    }

    @Override
    public String toString() {
        return "#" + id + " p" + process + " " + input + " -> " + (unknown() ? "unknown" : output.toString());
    }
}
