package memdb.linearizability;

import java.util.Comparator;
import java.util.List;

/** Renders operations as an aligned table ordered by invocation, for reports and failure messages. */
final class HistoryTable {
    private HistoryTable() {}

    static String render(List<Operation> operations) {
        StringBuilder out = new StringBuilder(String.format("%5s %8s %14s %14s  %-26s %s%n",
                "op", "process", "invoked", "completed", "operation", "result"));
        operations.stream().sorted(Comparator.comparingInt(Operation::invokeIndex)).forEach(operation ->
                out.append(String.format("%5s %8s %14d %14s  %-26s %s%n",
                        "#" + operation.id(), "p" + operation.process(), operation.invokeTime(),
                        operation.unknown() ? "never" : Long.toString(operation.returnTime()),
                        operation.input(), operation.unknown() ? "unknown" : operation.output())));
        return out.toString();
    }
}
