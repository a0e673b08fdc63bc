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
 * always be linearized last, which stands for "never applied" (see {@link RegisterModel}). Two rules
 * keep them from multiplying the search (each open unknown used to double the configurations for the
 * rest of the history, which ran the chaos harness's histories out of budget):
 * <ol>
 *   <li><b>An unknown operation is linearized only where it changes the state.</b> Proof that no
 *   linearization is lost: take a legal linearization L in which an unknown u leaves the state as it
 *   was (an unknown read; a cas whose expectation does not hold; a write of the current value). Move u
 *   to the end of L. Every other operation sees the same sequence of states, so it still replays; u
 *   at the end accepts any output, so it steps; and u precedes nothing in real time (it returns at
 *   +infinity), so placing it later breaks no real-time order. Repeating this (removing a state-keeping
 *   operation from the middle does not change whether the others change the state) gives a legal L*
 *   whose unknown operations before the last known one all change the state — an order this search
 *   still explores, as the rule depends only on the configuration, which keeps Lowe's cache exact.
 *   <li><b>The history is linearizable once every known operation is linearized</b>: the unknown ones
 *   left are appended in any order (each steps from any state and precedes nothing).
 * </ol>
 * Failed operations never reach the checker ({@link History} drops them: they had no effect). Every
 * witness is replayed before it is returned ({@link #isLegal}), so a bug in these rules would show up
 * as an exception, never as a wrong "linearizable".
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
        int knownLeft = (int) operations.stream().filter(operation -> !operation.unknown()).count();
        RegisterState state = RegisterModel.INITIAL;
        Frontier frontier = new Frontier();
        long steps = 0;
        Entry entry = head.next;
        while (knownLeft > 0) {
            steps++;
            if (steps > budget.stepsMax() || (steps % TIME_CHECK_STEPS == 0 && elapsed(startNanos).compareTo(budget.timeMax()) > 0)) {
                return new CheckResult.Timeout(steps, elapsed(startNanos));
            }
            if (entry.isCall()) {
                Operation operation = entry.operation;
                RegisterState next = RegisterModel.step(state, operation);
                boolean useful = next != null && !(operation.unknown() && next.equals(state)); // rule 1
                if (useful && explored.add(new Configuration(withBit(linearized, operation.id()), next))) {
                    stack[depth] = entry;
                    statesBefore[depth] = state;
                    depth++;
                    state = next;
                    linearized.set(operation.id());
                    knownLeft -= operation.unknown() ? 0 : 1;
                    entry.lift();
                    frontier.reached(stack, depth);
                    entry = head.next;
                } else {
                    entry = entry.next;
                }
                continue;
            }
            // a known operation's return: while one is unlinearized it comes before every unknown's (+infinity)
            frontier.blockedAt(entry.operation, state);
            if (depth == 0) {
                return frontier.violation(history, entry.operation, steps);
            }
            depth--;
            Entry top = stack[depth];
            state = statesBefore[depth];
            linearized.clear(top.operation.id());
            knownLeft += top.operation.unknown() ? 0 : 1;
            top.unlift();
            entry = top.next;
        }
        List<Operation> witness = operationsOf(stack, depth); // rule 2: the unknown operations left go last
        for (Operation operation : operations) {
            if (!linearized.get(operation.id())) {
                witness.add(operation);
            }
        }
        if (!isLegal(witness)) {
            throw new IllegalStateException("checker bug: the witness does not replay: " + witness);
        }
        return new CheckResult.Linearizable(witness, steps);
    }

    /**
     * Whether {@code order} replays on the register and respects real time (no operation placed after
     * one that completed before it was invoked: the minimum return position of the operations after
     * each one must lie after its invocation).
     */
    static boolean isLegal(List<Operation> order) {
        int earliestReturnAfter = Integer.MAX_VALUE;
        for (int index = order.size() - 1; index >= 0; index--) {
            Operation operation = order.get(index);
            if (earliestReturnAfter < operation.invokeIndex()) {
                return false;
            }
            earliestReturnAfter = Math.min(earliestReturnAfter, operation.returnIndex());
        }
        RegisterState state = RegisterModel.INITIAL;
        for (Operation operation : order) {
            state = RegisterModel.step(state, operation);
            if (state == null) {
                return false;
            }
        }
        return true;
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
