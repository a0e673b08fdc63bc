package memdb.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import memdb.client.MemDb;

/**
 * Unique appends through CAS: a client reads a list (serially) and CASes it to the list plus one element
 * no one else appends. Checked per key after healing, against a final serial read: it has no duplicate,
 * every acknowledged element is in it (nothing acknowledged lost), and every list any client read is a
 * prefix of it (one total order). A key is retired after {@code elementsPerKey} elements.
 */
final class AppendWorkload implements Workload {
    private final String prefix;
    private final int elementsPerKey;
    private final Map<String, KeyLog> logs = new LinkedHashMap<>();
    private int generation;
    private long operations;
    private long nextElement;

    /** What was recorded on one key. */
    private static final class KeyLog {
        final Set<String> acknowledged = new HashSet<>();
        final List<List<String>> reads = new ArrayList<>();
        int attempted;
    }

    AppendWorkload(String prefix, int elementsPerKey) {
        this.prefix = prefix;
        this.elementsPerKey = elementsPerKey;
    }

    @Override
    public String name() {
        return "unique-appends";
    }

    private synchronized String currentKey() {
        String key = prefix + "-append-" + generation;
        KeyLog log = logs.computeIfAbsent(key, k -> new KeyLog());
        if (log.attempted >= elementsPerKey) {
            generation++;
            return currentKey();
        }
        return key;
    }

    private synchronized void recordRead(String key, List<String> list) {
        logs.get(key).reads.add(list);
        operations++;
    }

    private static List<String> parse(String value) {
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    @Override
    public void step(MemDb client, int process, Random random) throws InterruptedException {
        String key = currentKey();
        Outcome<String> read = Outcome.of(client.serialGetAsync(key));
        if (!read.ok()) return;
        recordRead(key, parse(read.value()));
        String element;
        synchronized (this) {
            element = "e" + (nextElement++);
            logs.get(key).attempted++;
            operations++;
        }
        Outcome<Boolean> cas = Outcome.of(read.value() == null
                ? client.casIfAbsentAsync(key, element)
                : client.casAsync(key, read.value(), read.value() + "," + element));
        if (cas.ok() && cas.value()) {
            synchronized (this) {
                logs.get(key).acknowledged.add(element);
            }
        }
    }

    @Override
    public synchronized List<Verdict> check(MemDb client) throws InterruptedException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, KeyLog> entry : logs.entrySet()) {
            String key = entry.getKey();
            Outcome<String> last = FinalReads.retry(() -> client.serialGetAsync(key));
            if (!last.ok()) {
                violations.add("key " + key + ": the final serial read failed: " + last.error());
                continue;
            }
            List<String> total = parse(last.value());
            if (new HashSet<>(total).size() != total.size()) violations.add("key " + key + ": an element twice in " + total);
            for (String element : entry.getValue().acknowledged) {
                if (!total.contains(element)) violations.add("key " + key + ": acknowledged append " + element + " lost; final " + total);
            }
            for (List<String> read : entry.getValue().reads) {
                if (read.size() > total.size() || !total.subList(0, read.size()).equals(read)) {
                    violations.add("key " + key + ": read " + read + " is not a prefix of the final " + total);
                    break;
                }
            }
        }
        return List.of(new Verdict(name(), operations, logs.size(), violations));
    }

    @Override
    public synchronized List<String> convergenceKeys() {
        return List.copyOf(logs.keySet());
    }
}
