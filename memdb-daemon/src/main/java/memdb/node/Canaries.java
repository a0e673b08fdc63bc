package memdb.node;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Bug canaries (issue 9 item 2; docs/reliability.md, "Bug canaries"): test-only switches that plant
 * known bugs, so that the tests can show that their checkers catch each one (a harness that cannot fail
 * proves nothing). This class is the one place that knows the switches: their names, and how the
 * system property {@value #PROPERTY} (a comma list of names) turns them on. The node reads the property
 * once at start ({@link #fromSystemProperty}) and hands the result to the parts that plant the bugs (the
 * core gets it through its constructor, so the simulator can switch canaries per run).
 *
 * <p>Invariants: off unless the property names them; an unknown name is refused (the node does not start)
 * rather than ignored, so that a typo cannot make a canary run look like a passing one.
 */
public final class Canaries {
    /** The system property that names the canaries to switch on, e.g. {@code -Dmemdb.canary=no-read-repair}. */
    public static final String PROPERTY = "memdb.canary";
    public static final Canaries NONE = new Canaries(EnumSet.noneOf(Canary.class));

    /** The planted bugs; {@link #label} is the name the property uses (stable: external harnesses use it). */
    public enum Canary {
        /** A write is acknowledged before its op-log record is written and fsynced (kill -9 loses it). */
        ACK_BEFORE_FSYNC("ack-before-fsync"),
        /** A Paxos acceptor does not restore its promised and accepted ballots from the op log at restart. */
        FORGET_PROMISE("forget-promise"),
        /** The Lamport clock restarts at 0, not above the highest timestamp (and reservation) in the log. */
        NO_CLOCK_RESTORE("no-clock-restore"),
        /** Reads never repair the replicas that answered an older version. */
        NO_READ_REPAIR("no-read-repair"),
        /** A CAS whose expectation fails on the coordinator's local replica answers false without a Paxos round. */
        CAS_FALSE_SKIPS_PAXOS("cas-false-skips-paxos");

        private final String label;

        Canary(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Set<Canary> on;

    private Canaries(Set<Canary> on) {
        this.on = on.isEmpty() ? EnumSet.noneOf(Canary.class) : EnumSet.copyOf(on);
    }

    public static Canaries of(Canary... canaries) {
        return new Canaries(canaries.length == 0 ? EnumSet.noneOf(Canary.class) : EnumSet.copyOf(List.of(canaries)));
    }

    /** The canaries the system property names; none when it is unset or blank. */
    public static Canaries fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /**
     * A comma list of canary names (spaces around names allowed); null or blank is none.
     *
     * @throws ConfigException naming the unknown name and the known ones
     */
    public static Canaries parse(String list) {
        if (list == null || list.isBlank()) return NONE;
        EnumSet<Canary> on = EnumSet.noneOf(Canary.class);
        for (String name : list.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) continue;
            Canary found = null;
            for (Canary canary : Canary.values()) if (canary.label.equals(trimmed)) found = canary;
            if (found == null) {
                throw new ConfigException("unknown bug canary '" + trimmed + "' in -D" + PROPERTY + "; known: " + known());
            }
            on.add(found);
        }
        return new Canaries(on);
    }

    private static String known() {
        List<String> names = new ArrayList<>();
        for (Canary canary : Canary.values()) names.add(canary.label);
        return String.join(", ", names);
    }

    public boolean has(Canary canary) {
        return on.contains(canary);
    }

    public boolean any() {
        return !on.isEmpty();
    }

    /** The names of the canaries that are on, comma-separated, in declaration order. */
    public String names() {
        List<String> names = new ArrayList<>();
        for (Canary canary : on) names.add(canary.label);
        return String.join(",", names);
    }

    /** The one loud line a node with canaries logs at start. */
    public String warning(int nodeId) {
        return "BUG CANARIES ON (-D" + PROPERTY + "=" + names() + "): node " + nodeId
                + " plants known bugs on purpose, for tests only; it can lose or corrupt data";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Canaries other && other.on.equals(on);
    }

    @Override
    public int hashCode() {
        return on.hashCode();
    }

    @Override
    public String toString() {
        return on.isEmpty() ? "no canaries" : "canaries " + names();
    }
}
