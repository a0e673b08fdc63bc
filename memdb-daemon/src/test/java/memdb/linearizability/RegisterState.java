package memdb.linearizability;

/** The state of a compare-and-set register: a value, or absent ({@code value == null}). Immutable. */
public record RegisterState(String value) {
    public static final RegisterState ABSENT = new RegisterState(null);

    @Override
    public String toString() {
        return Values.show(value);
    }
}
