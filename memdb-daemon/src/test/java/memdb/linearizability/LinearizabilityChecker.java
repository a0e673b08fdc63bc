package memdb.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides whether a history of a compare-and-set register is linearizable (Herlihy and Wing 1990).
 *
 * <p>Algorithm: Wing and Gong's depth-first search (J. Parallel Distrib. Comput. 1993) with Lowe's
 * memoization ("Testing for linearizability", Concurrency and Computation 2017), in the shape
 * Porcupine ({@code checkSingle}) uses. The call and return entries of the operations with a known
 * outcome sit in one doubly linked list ordered by real time. Walking from the head, a call entry is
 * tried: if the model accepts the operation from the current state and the configuration (set of
 * linearized operations as a bitset, model state) was never seen, the operation is linearized — its
 * call and return are lifted out of the list (dancing links) and the walk restarts at the head.
 * Reaching a return entry means that operation completed before anything after it could be
 * linearized; the unknown-outcome candidates are tried next (below), and when none is left the search
 * backtracks: pops the last linearized operation, unlifts it and tries the next candidate after it.
 * The history is not linearizable when the search must backtrack with nothing linearized. Lowe's
 * cache makes each configuration explored at most once.
 *
 * <p>Unknown outcomes (Knossos' {@code :info}) return at +infinity and accept any output, so they can
 * always be linearized last, which stands for "never applied" (see {@link RegisterModel}). Left in the
 * list, each open unknown could be linearized anywhere and doubled the configurations for the rest of
 * the history, which ran the chaos harness's histories with many unknown outcomes out of budget. Two
 * rules keep them from multiplying the search:
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
 * So the unknown operations are not in the list: in state s, the only ones that can change it are the
 * unknown writes and the unknown cas expecting s (indexed by expected value), and of those the ones
 * invoked before the first return entry of the list (real time: nothing unlinearized completed before
 * they were invoked) are the candidates, tried after the list's calls. Unknown reads are never
 * candidates. Failed operations never reach the checker ({@link History} drops them: they had no
 * effect). Every witness is replayed before it is returned ({@link #isLegal}), so a bug in these rules
 * would show up as an exception, never as a wrong "linearizable".
 *
 * <p>Invariants: the list holds exactly the entries of unlinearized known operations, in real-time
 * order; {@code linearized} has exactly the bits of the operations on the stack; {@code state} is the
 * model state after replaying the stack. Bounded by a {@link Budget}; time comes from an injected clock.
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
        Entry head = EntryList.build(operations.stream().filter(operation -> !operation.unknown()).toList());
        Unknowns unknowns = new Unknowns(operations);
        Set<Configuration> explored = new HashSet<>();
        BitSet linearized = new BitSet(count);
        Operation[] stack = new Operation[count];
        Entry[] stackEntries = new Entry[count]; // a known operation's call entry; null for an unknown one
        Entry[] stackReturns = new Entry[count]; // an unknown operation's: the first return entry it was tried before
        int[] stackCandidates = new int[count]; // an unknown operation's: its index among the candidates
        RegisterState[] statesBefore = new RegisterState[count];
        int depth = 0;
        int knownLeft = count - unknowns.count;
        RegisterState state = RegisterModel.INITIAL;
        Frontier frontier = new Frontier();
        long steps = 0;
        Entry entry = head.next; // the walk over the list's calls, up to its first return entry
        Entry firstReturn = null; // once the walk reached it: the unknown candidates are tried
        int candidate = 0;
        while (knownLeft > 0) {
            steps++;
            if (steps > budget.stepsMax() || (steps % TIME_CHECK_STEPS == 0 && elapsed(startNanos).compareTo(budget.timeMax()) > 0)) {
                return new CheckResult.Timeout(steps, elapsed(startNanos));
            }
            Operation tried = null;
            if (firstReturn == null && entry.isCall()) {
                tried = entry.operation;
            } else if (firstReturn == null) {
                firstReturn = entry; // a known operation's return (one is always left while knownLeft > 0)
                candidate = 0;
                continue;
            } else {
                candidate = unknowns.next(state, candidate, firstReturn.operation.returnIndex(), linearized);
                tried = candidate < 0 ? null : unknowns.get(state, candidate);
            }
            if (tried != null) {
                RegisterState next = RegisterModel.step(state, tried);
                boolean useful = next != null && !(tried.unknown() && next.equals(state)); // rule 1
                if (useful && explored.add(new Configuration(withBit(linearized, tried.id()), next))) {
                    stack[depth] = tried;
                    stackEntries[depth] = firstReturn == null ? entry : null;
                    stackReturns[depth] = firstReturn;
                    stackCandidates[depth] = candidate;
                    statesBefore[depth] = state;
                    depth++;
                    state = next;
                    linearized.set(tried.id());
                    if (!tried.unknown()) {
                        knownLeft--;
                        entry.lift();
                    }
                    frontier.reached(stack, depth);
                    entry = head.next;
                    firstReturn = null;
                } else if (firstReturn == null) {
                    entry = entry.next;
                } else {
                    candidate++;
                }
                continue;
            }
            // no candidate left before firstReturn: the search cannot get past that completion from here
            frontier.blockedAt(firstReturn.operation, state);
            if (depth == 0) {
                return frontier.violation(history, firstReturn.operation, steps);
            }
            depth--;
            Operation top = stack[depth];
            state = statesBefore[depth];
            linearized.clear(top.id());
            if (top.unknown()) {
                firstReturn = stackReturns[depth];
                candidate = stackCandidates[depth] + 1;
            } else {
                knownLeft++;
                stackEntries[depth].unlift();
                entry = stackEntries[depth].next;
                firstReturn = null;
            }
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
     * The unknown-outcome operations that may change a state: for state s, the unknown writes, then the
     * unknown cas expecting s's value, each group in invocation order; a candidate index runs over
     * both groups. Unknown reads never change a state, so they are never candidates.
     */
    private static final class Unknowns {
        private final List<Operation> writes = new ArrayList<>();
        private final Map<String, List<Operation>> casByExpected = new HashMap<>(); // null key: absent
        final int count;

        Unknowns(List<Operation> operations) { // operations come in invocation order, so each group is sorted
            int unknown = 0;
            for (Operation operation : operations) {
                if (!operation.unknown()) {
                    continue;
                }
                unknown++;
                if (operation.input() instanceof Input.Write) {
                    writes.add(operation);
                } else if (operation.input() instanceof Input.Cas cas) {
                    casByExpected.computeIfAbsent(cas.expected(), expected -> new ArrayList<>()).add(operation);
                }
            }
            count = unknown;
        }

        Operation get(RegisterState state, int index) {
            return index < writes.size() ? writes.get(index) : casByExpected.get(state.value()).get(index - writes.size());
        }

        /**
         * The first candidate index at or after {@code from} whose operation is not linearized yet and
         * was invoked before {@code limit} (the first return position of the list), or -1.
         */
        int next(RegisterState state, int from, int limit, BitSet linearized) {
            for (int index = from; index < writes.size(); index++) {
                Operation write = writes.get(index);
                if (write.invokeIndex() >= limit) {
                    break;
                }
                if (!linearized.get(write.id())) {
                    return index;
                }
            }
            List<Operation> cas = casByExpected.getOrDefault(state.value(), List.of());
            for (int index = Math.max(from, writes.size()) - writes.size(); index < cas.size(); index++) {
                Operation operation = cas.get(index);
                if (operation.invokeIndex() >= limit) {
                    break;
                }
                if (!linearized.get(operation.id())) {
                    return writes.size() + index;
                }
            }
            return -1;
        }
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
        return RegisterModel.accepts(order);
    }

    private Duration elapsed(long startNanos) {
        return Duration.ofNanos(nanoClock.getAsLong() - startNanos);
    }

    private static BitSet withBit(BitSet bits, int bit) {
        BitSet copy = (BitSet) bits.clone();
        copy.set(bit);
        return copy;
    }

    private static List<Operation> operationsOf(Operation[] stack, int depth) {
        return new ArrayList<>(Arrays.asList(stack).subList(0, depth));
    }

    /**
     * What the search learned about where it gets stuck: the latest (in real time) completion it
     * could not get past, with the states it was in there, and the longest partial linearization.
     */
    private static final class Frontier {
        private Operation blocked;
        private final Set<RegisterState> statesAtBlocked = new LinkedHashSet<>();
        private List<Operation> longestPrefix = List.of();

        void reached(Operation[] stack, int depth) {
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
