package memdb.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import memdb.client.MemDb;
import memdb.linearizability.Budget;
import memdb.linearizability.CheckResult;
import memdb.linearizability.HistoryRecorder;
import memdb.linearizability.Input;
import memdb.linearizability.KeyedHistories;
import memdb.linearizability.LinearizabilityChecker;
import memdb.linearizability.Output;
import memdb.linearizability.ViolationReport;

/**
 * CAS registers: serial reads, compare-and-sets from the value the client last saw, and set-if-absent,
 * over a few keys at a time; a key is retired after {@code operationsPerKey} operations (about 300 keeps
 * the checker fast) and a fresh one takes its slot. Each key's history is checked with the Wing and Gong
 * / Lowe linearizability checker; a checker time-out counts as a violation. Scripted scenarios (CanaryIT) call
 * {@link #read} and {@link #cas} on keys and clients of their choosing instead of {@link #step}.
 */
final class CasRegisterWorkload implements Workload {
    private static final Budget BUDGET = new Budget(3_000_000, Duration.ofSeconds(30));

    private final String prefix;
    private final int operationsPerKey;
    private final int[] generation;
    private final int[] used;
    private final KeyedHistories histories;
    private final List<String> keys = new ArrayList<>();
    private final Map<Integer, Map<String, String>> lastSeen = new HashMap<>();
    private long operations;

    CasRegisterWorkload(String prefix, int slots, int operationsPerKey) {
        this.prefix = prefix;
        this.operationsPerKey = operationsPerKey;
        this.generation = new int[slots];
        this.used = new int[slots];
        this.histories = new KeyedHistories(System::nanoTime, 10_000, 2 * operationsPerKey + 64);
    }

    @Override
    public String name() {
        return "cas-register";
    }

    /** The key for the next operation: a random slot's current key, rotated once it has had its share. */
    private synchronized String nextKey(Random random) {
        int slot = random.nextInt(generation.length);
        if (used[slot] >= operationsPerKey) {
            generation[slot]++;
            used[slot] = 0;
        }
        used[slot]++;
        operations++;
        String key = prefix + "-cas-" + slot + "-" + generation[slot];
        if (used[slot] == 1) keys.add(key);
        return key;
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
        Map<String, CheckResult> results = histories.check(checker);
        results.forEach((key, result) -> {
            if (result instanceof CheckResult.Violation violation) {
                violations.add("key " + key + ": " + new ViolationReport(checker, 200).explain(violation));
            } else if (result instanceof CheckResult.Timeout) {
                violations.add("key " + key + ": checker " + result);
            }
        });
        synchronized (this) {
            return List.of(new Verdict(name(), operations, results.size(), violations));
        }
    }

    @Override
    public synchronized List<String> convergenceKeys() {
        return List.copyOf(keys);
    }
}
