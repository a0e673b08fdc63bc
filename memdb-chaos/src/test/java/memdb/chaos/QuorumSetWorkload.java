package memdb.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import memdb.client.MemDb;
import memdb.protocol.Consistency;

/**
 * Keys written at QUORUM, each by one client, {@code writesPerKey} times in turn with the values 1, 2, ...
 * (a later write starts after the earlier one was answered). After healing each key is read at ALL: the
 * value must be at least the last acknowledged one (an acknowledged write lost, or overwritten by an
 * older one, breaks this — last-writer-wins must order by the Lamport clock, whatever the wall clocks
 * say) and at most the last one tried. With {@code readsAfterWrites}, the writer also reads its key at
 * QUORUM after each acknowledged write: with W + R > N and one writer per key, that read must see the write
 * or a later one (a write acknowledged but ordered before older ones shows here even when a later write
 * hides it from the final read).
 */
final class QuorumSetWorkload implements Workload {
    private final String prefix;
    private final int writesPerKey;
    private final Map<String, int[]> written = new LinkedHashMap<>(); // key -> {last acknowledged, last tried}
    private final Map<Integer, int[]> cursor = new LinkedHashMap<>(); // process -> {key number, writes done}
    private long operations;
    private long acknowledgedWrites;
    private final List<String> errors = new ArrayList<>();

    private final boolean readsAfterWrites;
    private final List<String> staleReads = new ArrayList<>();

    QuorumSetWorkload(String prefix, int writesPerKey, boolean readsAfterWrites) {
        this.prefix = prefix;
        this.writesPerKey = writesPerKey;
        this.readsAfterWrites = readsAfterWrites;
    }

    @Override
    public String name() {
        return "quorum-writes";
    }

    @Override
    public void step(MemDb client, int process, Random random) throws InterruptedException {
        String key;
        int value;
        synchronized (this) {
            int[] at = cursor.computeIfAbsent(process, p -> new int[2]);
            if (at[1] >= writesPerKey) {
                at[0]++;
                at[1] = 0;
            }
            value = ++at[1];
            key = prefix + "-set-p" + process + "-" + at[0];
            written.computeIfAbsent(key, k -> new int[2])[1] = value;
            operations++;
        }
        Outcome<Void> write = Outcome.of(client.setAsync(key, Integer.toString(value), Consistency.QUORUM));
        synchronized (this) {
            if (write.ok()) {
                written.get(key)[0] = value;
                acknowledgedWrites++;
            } else if (errors.size() < 3) {
                errors.add(write.error());
            }
        }
        if (!write.ok() || !readsAfterWrites) return;
        Outcome<String> read = Outcome.of(client.getAsync(key, Consistency.QUORUM));
        synchronized (this) {
            operations++;
            if (read.ok() && (read.value() == null || Integer.parseInt(read.value()) < value)) {
                staleReads.add("key " + key + ": read " + read.value() + " at QUORUM after write " + value + " was acknowledged");
            }
        }
    }

    @Override
    public List<Verdict> check(MemDb client) throws InterruptedException {
        Map<String, int[]> keys;
        synchronized (this) {
            keys = new LinkedHashMap<>(written);
        }
        List<String> violations;
        synchronized (this) {
            violations = new ArrayList<>(staleReads);
        }
        long acknowledged = 0;
        for (Map.Entry<String, int[]> entry : keys.entrySet()) {
            String key = entry.getKey();
            int lastAcknowledged = entry.getValue()[0];
            int lastTried = entry.getValue()[1];
            if (lastAcknowledged > 0) acknowledged++;
            Outcome<String> read = FinalReads.retry(() -> client.getAsync(key, Consistency.ALL));
            if (!read.ok()) {
                violations.add("key " + key + ": the final read at ALL failed: " + read.error());
                continue;
            }
            int found = read.value() == null ? 0 : Integer.parseInt(read.value());
            if (found < lastAcknowledged) {
                violations.add("key " + key + ": acknowledged write " + lastAcknowledged + " lost (read " + read.value() + " at ALL)");
            } else if (found > lastTried) {
                violations.add("key " + key + ": read " + found + ", never written (last tried " + lastTried + ")");
            }
        }
        synchronized (this) {
            System.out.println("quorum-writes: " + operations + " writes, " + acknowledgedWrites + " acknowledged, first errors " + errors);
            return List.of(new Verdict(name(), operations, keys.size(), violations));
        }
    }

    @Override
    public synchronized List<String> convergenceKeys() {
        return List.copyOf(written.keySet());
    }
}
