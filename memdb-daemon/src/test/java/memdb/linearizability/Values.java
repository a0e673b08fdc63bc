package memdb.linearizability;

/** Register values are strings; {@code null} means absent. Shared display and checks. */
final class Values {
    static final String ABSENT = "absent";

    private Values() {}

    static String show(String valueOrNull) {
        return valueOrNull == null ? ABSENT : '"' + valueOrNull + '"';
    }

    static void requirePresent(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be absent");
        }
    }
}
