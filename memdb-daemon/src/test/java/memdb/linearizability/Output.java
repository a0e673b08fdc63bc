package memdb.linearizability;

/**
 * What a client observed when an operation completed with "ok": the response half of an operation.
 * Each {@link Input} kind has exactly one matching output kind; {@link History} rejects mismatches.
 */
public sealed interface Output {

    /** A read's result: the value seen, {@code null} for absent. */
    record ReadValue(String value) implements Output {
        @Override
        public String toString() {
            return Values.show(value);
        }
    }

    /** A write was acknowledged. */
    record Written() implements Output {
        @Override
        public String toString() {
            return "ok";
        }
    }

    /** A compare-and-set answered: {@code true} if it swapped, {@code false} if the comparison failed. */
    record CasResult(boolean swapped) implements Output {
        @Override
        public String toString() {
            return Boolean.toString(swapped);
        }
    }

    static Output value(String value) {
        return new ReadValue(value);
    }

    static Output written() {
        return new Written();
    }

    static Output swapped(boolean swapped) {
        return new CasResult(swapped);
    }

    /** Whether this output kind answers {@code input}'s kind. */
    default boolean answers(Input input) {
        // Java 17 has no pattern switch: an instanceof chain over the sealed kinds stands in for it.
        if (input instanceof Input.Read) {
            return this instanceof ReadValue;
        }
        if (input instanceof Input.Write) {
            return this instanceof Written;
        }
        return input instanceof Input.Cas && this instanceof CasResult;
    }
}
