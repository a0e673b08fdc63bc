package memdb.linearizability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@link HistoryRecorder} per key, for workloads over many CAS registers. Linearizability is
 * local (Herlihy and Wing 1990, Theorem 1): a history is linearizable iff each object's sub-history
 * is, so each key is checked on its own — which is also how Porcupine partitions histories and keeps
 * each search small. Bounded: at most {@code keysMax} keys.
 */
public final class KeyedHistories {
    private final LongSupplier clock;
    private final int keysMax;
    private final int eventsMaxPerKey;
    private final Map<String, HistoryRecorder> recorders = new LinkedHashMap<>();

    public KeyedHistories(LongSupplier clock, int keysMax, int eventsMaxPerKey) {
        this.clock = clock;
        this.keysMax = keysMax;
        this.eventsMaxPerKey = eventsMaxPerKey;
    }

    /** The recorder for {@code key}'s register, created on first use. */
    public synchronized HistoryRecorder recorder(String key) {
        HistoryRecorder recorder = recorders.get(key);
        if (recorder == null) {
            if (recorders.size() >= keysMax) {
                throw new IllegalStateException("already recording the maximum of " + keysMax + " keys");
            }
            recorder = new HistoryRecorder(clock, eventsMaxPerKey);
            recorders.put(key, recorder);
        }
        return recorder;
    }

    /** Each key's history so far, in first-use order. */
    public synchronized Map<String, History> histories() {
        Map<String, History> histories = new LinkedHashMap<>();
        recorders.forEach((key, recorder) -> histories.put(key, recorder.history()));
        return histories;
    }

    /** Each key's verdict, in first-use order. The whole is linearizable iff every one is. */
    public synchronized Map<String, CheckResult> check(LinearizabilityChecker checker) {
        Map<String, CheckResult> results = new LinkedHashMap<>();
        recorders.forEach((key, recorder) -> results.put(key, checker.check(recorder.history())));
        return results;
    }
}
