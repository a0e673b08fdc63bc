package memdb.linearizability;

/**
 * One entry of a history, as Jepsen/Knossos record them: a client process invokes an operation, then
 * that invocation completes exactly once with ok (applied, with an output), fail (definitely not
 * applied) or unknown (Knossos' {@code :info}, e.g. a timeout: it may take effect at any point after
 * its invocation, so it stays open forever). {@code time} is for display only (nanoseconds or a
 * logical clock); real-time order is the order of events in the {@link History}.
 */
public sealed interface Event {
    int process();

    long time();

    record Invoke(int process, Input input, long time) implements Event {}

    record Ok(int process, Output output, long time) implements Event {}

    record Fail(int process, long time) implements Event {}

    record Unknown(int process, long time) implements Event {}
}
