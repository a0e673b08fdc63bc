package memdb.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The operations {@code memdb bench -t} can measure, in the order the default run uses. */
public enum BenchTest {
    SET("set"),
    GET("get"),
    CONTAINS("contains"),
    QUORUM_GET("quorum-get"),
    DELETE("delete"),
    /** Counter increments by 1, on the counter keys {@code counter:<key>} (so they never meet the plain keys). */
    INCR("incr"),
    /** A swapping compare-and-set (expected = new = the -d value; the first on a key sets it if absent). */
    CAS("cas");

    private final String label;

    BenchTest(String label) {
        this.label = label;
    }

    /** The name on the command line and in reports. */
    public String label() {
        return label;
    }

    /**
     * Parses a comma list such as {@code set,get}; throws IllegalArgumentException with a one-sentence
     * reason for an empty list, a repeated test or an unknown test.
     */
    public static List<BenchTest> parseList(String text) {
        List<BenchTest> tests = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) throw new IllegalArgumentException("-t has an empty test name in '" + text + "'");
            BenchTest test = byLabel(name);
            if (test == null) throw new IllegalArgumentException("-t: unknown test '" + name + "'; choose from " + labels());
            if (tests.contains(test)) throw new IllegalArgumentException("-t names " + name + " twice");
            tests.add(test);
        }
        return List.copyOf(tests);
    }

    /** Every test, comma-separated, in the default order. */
    public static String labels() {
        List<String> labels = new ArrayList<>();
        for (BenchTest test : values()) labels.add(test.label);
        return String.join(",", labels);
    }

    private static BenchTest byLabel(String name) {
        for (BenchTest test : values()) if (test.label.equals(name)) return test;
        return null;
    }
}
