package memdb.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import memdb.client.MemDb;
import memdb.linearizability.Budget;
import memdb.linearizability.CheckResult;
import memdb.linearizability.History;
import memdb.linearizability.HistoryFile;
import memdb.linearizability.HistoryRecorder;
import memdb.linearizability.Input;
import memdb.linearizability.KeyedHistories;
import memdb.linearizability.LinearizabilityChecker;
import memdb.linearizability.Output;
import memdb.linearizability.ViolationReport;

/**
 * CAS registers: serial reads, compare-and-sets from the value the client last saw, and set-if-absent,
 * over a few keys at a time; a key is retired after {@code operationsPerKey} operations (about 300 keeps
 * the checker fast) or once {@code unknownsPerKey} of its compare-and-sets ended unknown, whichever comes
 * first, and a fresh key takes its slot (Jepsen bounds the open operations per key the same way: each
 * unknown outcome stays open to the end of the history and widens the checker's search). Each key's
 * history is checked with the Wing and Gong / Lowe linearizability checker; a checker time-out counts as
 * a violation. Scripted scenarios (CanaryIT) call {@link #read} and {@link #cas} on keys and clients of
 * their choosing instead of {@link #step}.
 */
final class CasRegisterWorkload implements Workload {
    /**
     * Unknown compare-and-sets after which a key retires (Jepsen-style bound on open operations per history);
     * {@code -Dmemdb.chaos.cas.unknownsPerKey=N} ({@code -Dchaos.casUnknownsPerKey} in the long run) changes it.
     */
    static final int UNKNOWNS_PER_KEY = Integer.getInteger("memdb.chaos.cas.unknownsPerKey", 10);
    private static final Budget BUDGET = new Budget(3_000_000, Duration.ofSeconds(30));
    private static final Path HISTORIES = Path.of(System.getProperty("memdb.chaos.histories", "target/chaos-histories"));

    private final String prefix;
    private final int operationsPerKey;
    private final int unknownsPerKey;
    private final int[] generation;
    private final int[] used;
    private final int[] unknowns;
    private final KeyedHistories histories;
    private final List<String> keys = new ArrayList<>();
    private final Map<Integer, Map<String, String>> lastSeen = new HashMap<>();
    private long operations;

    /** With the default bound of {@link #UNKNOWNS_PER_KEY} unknown compare-and-sets per key. */
    CasRegisterWorkload(String prefix, int slots, int operationsPerKey) {
        this(prefix, slots, operationsPerKey, UNKNOWNS_PER_KEY);
    }

    CasRegisterWorkload(String prefix, int slots, int operationsPerKey, int unknownsPerKey) {
        this.prefix = prefix;
        this.operationsPerKey = operationsPerKey;
        this.unknownsPerKey = unknownsPerKey;
        this.generation = new int[slots];
        this.used = new int[slots];
        this.unknowns = new int[slots];
        this.histories = new KeyedHistories(System::nanoTime, 10_000, 2 * operationsPerKey + 64);
    }

    @Override
    public String name() {
        return "cas-register";
    }

    /** The key for the next operation: a random slot's current key, rotated once it has had its share. */
    private synchronized String nextKey(Random random) {
        int slot = random.nextInt(generation.length);
        if (used[slot] >= operationsPerKey || unknowns[slot] >= unknownsPerKey) {
            generation[slot]++;
            used[slot] = 0;
            unknowns[slot] = 0;
        }
        used[slot]++;
        operations++;
        String key = keyOf(slot);
        if (used[slot] == 1) keys.add(key);
        return key;
    }

    /** A compare-and-set on {@code key} ended unknown: it counts towards retiring the key. */
    private synchronized void unknownOutcome(String key) {
        for (int slot = 0; slot < generation.length; slot++) {
            if (key.equals(keyOf(slot))) {
                unknowns[slot]++;
            }
        }
    }

    private String keyOf(int slot) {
        return prefix + "-cas-" + slot + "-" + generation[slot];
    }

    private synchronized Map<String, String> seenBy(int process) {
        return lastSeen.computeIfAbsent(process, p -> new HashMap<>());
    }

    @Override
    public void step(MemDb client, int process, Random random) throws InterruptedException {
        String key = nextKey(random);
        Map<String, String> seen = seenBy(process);
        if (random.nextInt(3) == 0 || (!seen.containsKey(key) && random.nextBoolean())) {
            Outcome<String> read = read(client, process, key);
            if (read.ok()) seen.put(key, read.value());
            return;
        }
        String expected = seen.get(key);
        String value = "p" + process + "-" + random.nextInt(1_000_000);
        Outcome<Boolean> cas = cas(client, process, key, expected, value);
        if (cas.ok() && cas.value()) seen.put(key, value);
        if (!cas.ok() || !cas.value()) seen.remove(key); // value unknown now: read it (or try absent) next
    }

    /** A serial read of {@code key} by client {@code process}, recorded in the key's history. */
    Outcome<String> read(MemDb client, int process, String key) throws InterruptedException {
        HistoryRecorder recorder = histories.recorder(key);
        recorder.invoke(process, Input.read());
        Outcome<String> read = Outcome.of(client.serialGetAsync(key));
        complete(recorder, process, read, () -> Output.value(read.value()));
        return read;
    }

    /** A CAS of {@code key} from {@code expected} (null: absent) to {@code value} by client {@code process}, recorded. */
    Outcome<Boolean> cas(MemDb client, int process, String key, String expected, String value) throws InterruptedException {
        HistoryRecorder recorder = histories.recorder(key);
        recorder.invoke(process, Input.cas(expected, value));
        Outcome<Boolean> cas = Outcome.of(expected == null ? client.casIfAbsentAsync(key, value) : client.casAsync(key, expected, value));
        complete(recorder, process, cas, () -> Output.swapped(cas.value()));
        if (cas.kind() == Outcome.Kind.UNKNOWN) unknownOutcome(key);
        return cas;
    }

    private static void complete(HistoryRecorder recorder, int process, Outcome<?> outcome, java.util.function.Supplier<Output> output) {
        switch (outcome.kind()) {
            case OK -> recorder.ok(process, output.get());
            case FAIL -> recorder.fail(process);
            case UNKNOWN -> recorder.unknown(process);
        }
    }

    @Override
    public List<Verdict> check(MemDb client) {
        LinearizabilityChecker checker = new LinearizabilityChecker(BUDGET, System::nanoTime);
        List<String> violations = new ArrayList<>();
        Map<String, History> keyed = histories.histories();
        keyed.forEach((key, history) -> {
            long start = System.nanoTime();
            CheckResult result = checker.check(history);
            long millis = (System.nanoTime() - start) / 1_000_000;
            Path saved = save(key, history, result + " in " + millis + " ms");
            if (result instanceof CheckResult.Violation violation) {
                violations.add("key " + key + " (history: " + saved + "): " + new ViolationReport(checker, 200).explain(violation));
            } else if (result instanceof CheckResult.Timeout) {
                violations.add("key " + key + " (history: " + saved + "): checker " + result);
            }
        });
        synchronized (this) {
            return List.of(new Verdict(name(), operations, keyed.size(), violations));
        }
    }

    /**
     * Saves a key's history with its verdict under {@code -Dmemdb.chaos.histories} (default
     * {@code target/chaos-histories}), so a failing or timed-out check can be replayed by a unit test
     * ({@link HistoryFile#read}). Returns the file, or null if it could not be written.
     */
    private static Path save(String key, History history, String verdict) {
        Path file = HISTORIES.resolve(key + ".history");
        try {
            HistoryFile.write(history, file, "cas-register history of key " + key + "\nverdict: " + verdict);
            return file;
        } catch (IOException e) {
            System.err.println("could not save the history of " + key + ": " + e);
            return null;
        }
    }

    @Override
    public synchronized List<String> convergenceKeys() {
        return List.copyOf(keys);
    }
}
