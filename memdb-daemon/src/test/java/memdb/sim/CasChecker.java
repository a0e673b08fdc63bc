package memdb.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import memdb.linearizability.Budget;
import memdb.linearizability.CheckResult;
import memdb.linearizability.Event;
import memdb.linearizability.Input;
import memdb.linearizability.LinearizabilityChecker;
import memdb.linearizability.Output;
import memdb.linearizability.ViolationReport;
import memdb.protocol.ErrorCode;
import memdb.protocol.Responses;

/**
 * (d) CAS linearizability (docs/cas.md): each key's CAS and SERIAL_GET operations, taken from the run's
 * {@link History} in the order of its global steps, must be linearizable as a compare-and-set register
 * (the Wing and Gong / Lowe checker of {@code memdb.linearizability}). Outcomes: a CAS answered true or
 * false and a read's value are "ok"; UNKNOWN_OUTCOME, TIMEOUT and a failed connection are "unknown" (it
 * may take effect at any later point); any other error, a refused connection (the request never reached a
 * node) and any failed read are "fail" (not applied).
 */
final class CasChecker {
    private static final Budget BUDGET = new Budget(2_000_000, java.time.Duration.ofSeconds(20));

    private CasChecker() {}

    static List<String> linearizable(History history) {
        Map<String, List<Event>> byKey = new TreeMap<>();
        List<History.Operation> ops = history.operations().stream()
                .filter(op -> op.kind == History.Kind.CAS || op.kind == History.Kind.SERIAL_GET).toList();
        record Step(long step, History.Operation op, boolean invoke) {}
        List<Step> steps = new ArrayList<>();
        for (History.Operation op : ops) {
            steps.add(new Step(op.invokeStep, op, true));
            if (op.completed()) steps.add(new Step(op.completeStep, op, false));
        }
        steps.sort(Comparator.comparingLong(Step::step));
        for (Step s : steps) byKey.computeIfAbsent(s.op().key, k -> new ArrayList<>()).add(event(s.op(), s.invoke(), s.step()));
        LinearizabilityChecker checker = new LinearizabilityChecker(BUDGET, System::nanoTime);
        List<String> violations = new ArrayList<>();
        byKey.forEach((key, events) -> {
            CheckResult result = checker.check(new memdb.linearizability.History(events));
            if (result instanceof CheckResult.Violation violation) {
                violations.add("(d) CAS history of " + key + " is not linearizable: "
                        + new ViolationReport(checker, 500).explain(violation) + detail(ops, key));
            } else if (result instanceof CheckResult.Timeout) {
                violations.add("(d) CAS history of " + key + ": the checker ran out of budget: " + result + "; "
                        + events.stream().filter(e -> e instanceof Event.Unknown).count() + " unknown of "
                        + events.stream().filter(e -> e instanceof Event.Invoke).count() + " operations"
                        + detail(ops, key));
            }
        });
        return violations;
    }

    /** With -Dmemdb.sim.casDetail=true: every operation on the key, as the history has it. */
    private static String detail(List<History.Operation> ops, String key) {
        if (!Boolean.getBoolean("memdb.sim.casDetail")) return "";
        return ops.stream().filter(o -> o.key.equals(key)).map(Object::toString).reduce("", (a, b) -> a + "\n    " + b);
    }

    private static Event event(History.Operation op, boolean invoke, long step) {
        int process = op.client;
        if (invoke) {
            Input input = op.kind == History.Kind.CAS ? new Input.Cas(op.expected, op.value) : new Input.Read();
            return new Event.Invoke(process, input, step);
        }
        Object r = op.response;
        if (r instanceof Responses.Bool swapped && op.kind == History.Kind.CAS) return new Event.Ok(process, new Output.CasResult(swapped.value()), step);
        if (r instanceof Responses.Value v && op.kind == History.Kind.SERIAL_GET) {
            return new Event.Ok(process, new Output.ReadValue(v.isPresent() ? new String(v.value(), StandardCharsets.UTF_8) : null), step);
        }
        if (op.kind == History.Kind.SERIAL_GET) return new Event.Fail(process, step); // a failed read changed nothing
        if (r instanceof Responses.Error e && e.code() != ErrorCode.UNKNOWN_OUTCOME && e.code() != ErrorCode.TIMEOUT) {
            return new Event.Fail(process, step);
        }
        if (r == null && op.failure != null && op.failure.startsWith("connection refused")) return new Event.Fail(process, step);
        return new Event.Unknown(process, step);
    }
}
