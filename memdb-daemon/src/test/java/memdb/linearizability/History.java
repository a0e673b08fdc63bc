package memdb.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, well-formed history of client events (Herlihy and Wing 1990, section 2): each process
 * has at most one invocation open at a time and every completion answers that process's open
 * invocation. An unknown completion frees the process (as Jepsen gives a crashed client a fresh
 * process) while the operation itself stays open forever. Invocations still open at the end of the
 * history are treated like unknown outcomes.
 *
 * <p>Build one with {@link #builder()} (times are event positions) or record one from live clients
 * with {@link HistoryRecorder}.
 */
public final class History {
    private final List<Event> events;
    private final List<Operation> operations;

    public History(List<Event> events) {
        this.events = List.copyOf(events);
        this.operations = pair(this.events);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Event> events() {
        return events;
    }

    /** Operations that were or may have been applied (failures dropped), ordered by invocation, ids dense. */
    public List<Operation> operations() {
        return operations;
    }

    private static List<Operation> pair(List<Event> events) {
        Map<Integer, Integer> openInvokeByProcess = new HashMap<>();
        List<Operation> result = new ArrayList<>();
        List<int[]> pairs = new ArrayList<>(); // {invokeIndex, returnIndex or OPEN}; -1 return = failed
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            Integer open = openInvokeByProcess.get(event.process());
            if (event instanceof Event.Invoke) {
                if (open != null) {
                    throw new IllegalArgumentException("process " + event.process() + " invokes at event " + index
                            + " while its invocation at event " + open + " is still open");
                }
                openInvokeByProcess.put(event.process(), index);
                continue;
            }
            if (open == null) {
                throw new IllegalArgumentException("event " + index + " completes nothing: process "
                        + event.process() + " has no open invocation");
            }
            openInvokeByProcess.remove(event.process());
            pairs.add(new int[] {open, returnIndex(event, index)});
        }
        for (int open : openInvokeByProcess.values()) {
            pairs.add(new int[] {open, Operation.OPEN});
        }
        pairs.sort((left, right) -> Integer.compare(left[0], right[0]));
        for (int[] pair : pairs) {
            if (pair[1] >= 0) {
                result.add(operation(events, result.size(), pair[0], pair[1]));
            }
        }
        return List.copyOf(result);
    }

    private static int returnIndex(Event completion, int index) {
        if (completion instanceof Event.Ok) {
            return index;
        }
        if (completion instanceof Event.Fail) {
            return -1;
        }
        if (completion instanceof Event.Unknown) {
            return Operation.OPEN;
        }
        throw new IllegalStateException("not a completion: " + completion);
    }

    private static Operation operation(List<Event> events, int id, int invokeIndex, int returnIndex) {
        Event.Invoke invoke = (Event.Invoke) events.get(invokeIndex);
        if (returnIndex == Operation.OPEN) {
            return new Operation(id, invoke.process(), invoke.input(), null, invokeIndex, Operation.OPEN, invoke.time(), Long.MAX_VALUE);
        }
        Event.Ok ok = (Event.Ok) events.get(returnIndex);
        return new Operation(id, invoke.process(), invoke.input(), ok.output(), invokeIndex, returnIndex, invoke.time(), ok.time());
    }

    /**
     * The sub-history made of some of these operations, keeping their events and times (a "projection"
     * in Wing and Gong's terms); the result's operations are renumbered densely.
     */
    public History restrictTo(List<Operation> kept) {
        boolean[] keep = new boolean[events.size()];
        for (Operation operation : kept) {
            keep[operation.invokeIndex()] = true;
            int completion = operation.returnIndex() != Operation.OPEN ? operation.returnIndex() : completionOf(operation);
            if (completion >= 0) {
                keep[completion] = true; // an unknown completion is kept too: it frees its process
            }
        }
        List<Event> subset = new ArrayList<>();
        for (int index = 0; index < events.size(); index++) {
            if (keep[index]) {
                subset.add(events.get(index));
            }
        }
        return new History(subset);
    }

    /** Position of the event completing {@code operation}'s invocation, or -1 if it never completed. */
    private int completionOf(Operation operation) {
        for (int index = operation.invokeIndex() + 1; index < events.size(); index++) {
            if (events.get(index).process() == operation.process()) {
                return index;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return HistoryTable.render(operations);
    }

    /** Appends events in real-time order; each event's time is its position. */
    public static final class Builder {
        private final List<Event> events = new ArrayList<>();

        public Builder invoke(int process, Input input) {
            events.add(new Event.Invoke(process, input, events.size()));
            return this;
        }

        public Builder ok(int process, Output output) {
            events.add(new Event.Ok(process, output, events.size()));
            return this;
        }

        public Builder fail(int process) {
            events.add(new Event.Fail(process, events.size()));
            return this;
        }

        public Builder unknown(int process) {
            events.add(new Event.Unknown(process, events.size()));
            return this;
        }

        /** Shorthand: {@code process} runs {@code input} alone, completing ok with {@code output}. */
        public Builder complete(int process, Input input, Output output) {
            return invoke(process, input).ok(process, output);
        }

        public History build() {
            return new History(events);
        }
    }
}
