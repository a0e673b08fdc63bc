package memdb.linearizability;

/**
 * What a client asked a compare-and-set register to do: the invocation half of an operation in a
 * linearizability history (Herlihy and Wing 1990; Knossos' {@code :f}/{@code :value}). A {@code null}
 * value stands for "absent" (the key does not exist), which is also the register's initial state.
 */
public sealed interface Input {

    /** Read the register; a successful read returns a value or absent. */
    record Read() implements Input {
        @Override
        public String toString() {
            return "read";
        }
    }

    /** Write {@code value} unconditionally (never absent). */
    record Write(String value) implements Input {
        public Write {
            Values.requirePresent(value, "write value");
        }

        @Override
        public String toString() {
            return "write(" + Values.show(value) + ")";
        }
    }

    /** Set the register to {@code newValue} if it holds {@code expected} ({@code null} = absent). */
    record Cas(String expected, String newValue) implements Input {
        public Cas {
            Values.requirePresent(newValue, "cas new value");
        }

        @Override
        public String toString() {
            return "cas(" + Values.show(expected) + " -> " + Values.show(newValue) + ")";
        }
    }

    static Input read() {
        return new Read();
    }

    static Input write(String value) {
        return new Write(value);
    }

    static Input cas(String expected, String newValue) {
        return new Cas(expected, newValue);
    }
}
