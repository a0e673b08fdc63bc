package memdb.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import memdb.client.MemDb;
import memdb.protocol.Consistency;

/**
 * Counters incremented by 1 at QUORUM. After healing each is read at ALL: the value must lie between the
 * acknowledged increments and those plus the ones whose outcome is unknown (or failed: a counter add that
 * errs may still have been applied on some replica).
 */
final class CounterWorkload implements Workload {
    private final String prefix;
    private final long[] acknowledged;
    private final long[] uncertain;
    private long operations;

    CounterWorkload(String prefix, int counters) {
        this.prefix = prefix;
        this.acknowledged = new long[counters];
        this.uncertain = new long[counters];
    }

    @Override
    public String name() {
        return "counters";
    }

    private String key(int i) {
        return prefix + "-counter-" + i;
    }

    @Override
    public void step(MemDb client, int process, Random random) throws InterruptedException {
        int i = random.nextInt(acknowledged.length);
        synchronized (this) {
            operations++;
        }
        Outcome<Long> add = Outcome.of(client.incrementAsync(key(i), 1, Consistency.QUORUM));
        synchronized (this) {
            if (add.ok()) acknowledged[i]++;
            else uncertain[i]++;
        }
    }

    @Override
    public synchronized List<Verdict> check(MemDb client) throws InterruptedException {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < acknowledged.length; i++) {
            String key = key(i);
            Outcome<Long> read = FinalReads.retry(() -> client.getCounterAsync(key, Consistency.ALL));
            if (!read.ok()) {
                violations.add("counter " + key + ": the final read at ALL failed: " + read.error());
            } else if (read.value() < acknowledged[i] || read.value() > acknowledged[i] + uncertain[i]) {
                violations.add("counter " + key + " = " + read.value() + ", outside [" + acknowledged[i] + ", "
                        + (acknowledged[i] + uncertain[i]) + "] (acknowledged, plus unknown)");
            }
        }
        return List.of(new Verdict(name(), operations, acknowledged.length, violations));
    }

    @Override
    public List<String> convergenceKeys() {
        return List.of(); // counters live in their own store; GET /v1/keys shows registers only
    }
}
