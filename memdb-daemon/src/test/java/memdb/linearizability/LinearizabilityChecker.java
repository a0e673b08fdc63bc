package memdb.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides whether a history of a compare-and-set register is linearizable (Herlihy and Wing 1990).
 *
 * <p>Algorithm: Wing and Gong's depth-first search (J. Parallel Distrib. Comput. 1993) with Lowe's
 * memoization ("Testing for linearizability", Concurrency and Computation 2017), in the shape
 * Porcupine ({@code checkSingle}) uses. Call and return entries sit in one doubly linked list ordered
 * by real time. Walking from the head, a call entry is tried: if the model accepts the operation from
 * the current state and the configuration (set of linearized operations as a bitset, model state) was
 * never seen, the operation is linearized — its call and return are lifted out of the list (dancing
 * links) and the walk restarts at the head. Reaching a return entry means that operation completed
 * before anything else could be linearized, so the search backtracks: pops the last linearized
 * operation, unlifts it and tries the next candidate after it. The history is linearizable when the
 * list empties; it is not when the search must backtrack with nothing linearized. Lowe's cache makes
 * each configuration explored at most once.
 *
 * <p>Unknown outcomes (Knossos' {@code :info}) return at +infinity and accept any output, so they can
 * always be linearized last, which stands for "never applied" (see {@link RegisterModel}).
 *
 * <p>Invariants: the list holds exactly the entries of unlinearized operations, in real-time order;
 * {@code linearized} has exactly the bits of the operations on the stack; {@code state} is the model
 * state after replaying the stack. Bounded by a {@link Budget}; time comes from an injected clock.
 */
public final class LinearizabilityChecker {
    private static final int TIME_CHECK_STEPS = 4096;

    private final Budget budget;
    private final LongSupplier nanoClock;

    public LinearizabilityChecker(Budget budget, LongSupplier nanoClock) {
        this.budget = budget;
        this.nanoClock = nanoClock;
    }

    /** A configuration already explored: Lowe's memo key. The bitset is owned by the cache. */
    private record Configuration(BitSet linearized, RegisterState state) {}

    public CheckResult check(History history) {
        long startNanos = nanoClock.getAsLong();
        List<Operation> operations = history.operations();
        int count = operations.size();
        Entry head = EntryList.build(operations);
        Set<Configuration> explored = new HashSet<>();
        BitSet linearized = new BitSet(count);
        Entry[] stack = new Entry[count];
        RegisterState[] statesBefore = new RegisterState[count];
        int depth = 0;
        RegisterState state = RegisterModel.INITIAL;
        Frontier frontier = new Frontier();
        long steps = 0;
        Entry entry = head.next;
        while (head.next != null) {
            steps++;
            if (steps > budget.stepsMax() || (steps % TIME_CHECK_STEPS == 0 && elapsed(startNanos).compareTo(budget.timeMax()) > 0)) {
                return new CheckResult.Timeout(steps, elapsed(startNanos));
            }
            if (entry.isCall()) {
                RegisterState next = RegisterModel.step(state, entry.operation);
                if (next != null && explored.add(new Configuration(withBit(linearized, entry.operation.id()), next))) {
                    stack[depth] = entry;
                    statesBefore[depth] = state;
                    depth++;
                    state = next;
                    linearized.set(entry.operation.id());
                    entry.lift();
                    frontier.reached(stack, depth);
                    entry = head.next;
                } else {
                    entry = entry.next;
                }
                continue;
            }
            frontier.blockedAt(entry.operation, state);
            if (depth == 0) {
                return frontier.violation(history, entry.operation, steps);
            }
            depth--;
            Entry top = stack[depth];
            state = statesBefore[depth];
            linearized.clear(top.operation.id());
            top.unlift();
            entry = top.next;
        }
        return new CheckResult.Linearizable(operationsOf(stack, depth), steps);
    }

    private Duration elapsed(long startNanos) {
        return Duration.ofNanos(nanoClock.getAsLong() - startNanos);
    }

    private static BitSet withBit(BitSet bits, int bit) {
        BitSet copy = (BitSet) bits.clone();
        copy.set(bit);
        return copy;
    }

    private static List<Operation> operationsOf(Entry[] stack, int depth) {
        List<Operation> result = new ArrayList<>(depth);
        for (int index = 0; index < depth; index++) {
            result.add(stack[index].operation);
        }
        return result;
    }

    /**
     * What the search learned about where it gets stuck: the latest (in real time) completion it
     * could not get past, with the states it was in there, and the longest partial linearization.
     */
    private static final class Frontier {
        private Operation blocked;
        private final Set<RegisterState> statesAtBlocked = new LinkedHashSet<>();
        private List<Operation> longestPrefix = List.of();

        void reached(Entry[] stack, int depth) {
            if (depth > longestPrefix.size()) {
                longestPrefix = operationsOf(stack, depth);
            }
        }

        void blockedAt(Operation operation, RegisterState state) {
            if (operation.unknown()) {
                return; // only reached through the cache: an unknown operation never blocks on its own
            }
            if (blocked == null || operation.returnIndex() > blocked.returnIndex()) {
                blocked = operation;
                statesAtBlocked.clear();
            }
            if (operation == blocked) {
                statesAtBlocked.add(state);
            }
        }

        CheckResult.Violation violation(History history, Operation fallback, long steps) {
            Operation reported = blocked != null ? blocked : fallback;
            return new CheckResult.Violation(history, reported, Set.copyOf(statesAtBlocked), longestPrefix, steps);
        }
    }

    /** A call or return entry in the real-time list (Porcupine's {@code node}). */
    private static final class Entry {
        final Operation operation;
        final Entry match; // for a call: its return entry; null for a return
        Entry previous;
        Entry next;

        Entry(Operation operation, Entry match) {
            this.operation = operation;
            this.match = match;
        }

        boolean isCall() {
            return match != null;
        }

        /** Removes this call and its return from the list; both remember their neighbours. */
        void lift() {
            previous.next = next;
            if (next != null) {
                next.previous = previous;
            }
            match.previous.next = match.next;
            if (match.next != null) {
                match.next.previous = match.previous;
            }
        }

        /** Undoes {@link #lift()}: the return goes back first, then the call (reverse order). */
        void unlift() {
            match.previous.next = match;
            if (match.next != null) {
                match.next.previous = match;
            }
            previous.next = this;
            if (next != null) {
                next.previous = this;
            }
        }
    }

    private static final class EntryList {
        /** Head sentinel followed by every call and return, by position; calls first on ties. */
        static Entry build(List<Operation> operations) {
            record Positioned(long position, int kind, int id, Entry entry) {}
            List<Positioned> positioned = new ArrayList<>();
            for (Operation operation : operations) {
                Entry returned = new Entry(operation, null);
                Entry called = new Entry(operation, returned);
                positioned.add(new Positioned(operation.invokeIndex(), 0, operation.id(), called));
                positioned.add(new Positioned(operation.returnIndex(), 1, operation.id(), returned));
            }
            positioned.sort(Comparator.comparingLong(Positioned::position)
                    .thenComparingInt(Positioned::kind).thenComparingInt(Positioned::id));
            Entry head = new Entry(null, null);
            Entry last = head;
            for (Positioned each : positioned) {
                last.next = each.entry();
                each.entry().previous = last;
                last = each.entry();
            }
            return head;
        }
    }
}
