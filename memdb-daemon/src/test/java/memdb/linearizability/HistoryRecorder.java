package memdb.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records a history from concurrent clients (simulated or real), Jepsen style: call {@link #invoke}
 * just before sending a request and {@link #ok}, {@link #fail} or {@link #unknown} just after its
 * outcome is known. Appends are serialized, so the recorded order is consistent with real time: an
 * operation that completed before another was invoked appears before it. Times come from the injected
 * clock (a simulator's virtual clock or {@code System::nanoTime}) and are for display only.
 *
 * <p>Bounded: at most {@code eventsMax} events; beyond that recording fails loudly.
 */
public final class HistoryRecorder {
    private final LongSupplier clock;
    private final int eventsMax;
    private final List<Event> events = new ArrayList<>();

    public HistoryRecorder(LongSupplier clock, int eventsMax) {
        this.clock = clock;
        this.eventsMax = eventsMax;
    }

    public synchronized void invoke(int process, Input input) {
        append(new Event.Invoke(process, input, clock.getAsLong()));
    }

    public synchronized void ok(int process, Output output) {
        append(new Event.Ok(process, output, clock.getAsLong()));
    }

    /** The operation definitely did not take effect (e.g. rejected before being proposed). */
    public synchronized void fail(int process) {
        append(new Event.Fail(process, clock.getAsLong()));
    }

    /** The outcome is unknown (e.g. a timeout): it may take effect at any later time, or never. */
    public synchronized void unknown(int process) {
        append(new Event.Unknown(process, clock.getAsLong()));
    }

    public synchronized History history() {
        return new History(events);
    }

    private void append(Event event) {
        if (events.size() >= eventsMax) {
            throw new IllegalStateException("history holds its maximum of " + eventsMax + " events");
        }
        events.add(event);
    }
}
