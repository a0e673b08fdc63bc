package memdb.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import memdb.protocol.Consistency;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;

/**
 * What the clients asked and what they were told: one {@link Operation} per client request, with its
 * invocation and completion stamped by a global step counter (a total order of client events, finer
 * than simulated milliseconds) and the outcome: the node's response, or a failed connection. The
 * checkers judge only this history and, at the end, the replicas' stores.
 */
final class History {
    enum Kind { SET, DELETE, GET, CONTAINS, INCR, COUNTER_GET, CAS, SERIAL_GET }

    static final class Operation {
        final long id;
        final int client;
        final Kind kind;
        final String key;
        final String value; // SET and CAS only: unique in the run, "c<client>-<n>"
        String expected; // CAS only: the value expected, null for absent
        final Consistency level;
        final int node;
        final long invokeStep;
        final long invokeMs;
        long completeStep = -1;
        long completeMs;
        Response response; // null when the connection failed
        String failure;
        long delta; // INCR only
        long operationId; // INCR only: chosen once per logical increment, the same on its retries

        private Operation(long id, int client, Kind kind, String key, String value, Consistency level, int node,
                          long invokeStep, long invokeMs) {
            this.id = id;
            this.client = client;
            this.kind = kind;
            this.key = key;
            this.value = value;
            this.level = level;
            this.node = node;
            this.invokeStep = invokeStep;
            this.invokeMs = invokeMs;
        }

        boolean completed() {
            return completeStep >= 0;
        }

        boolean isWrite() {
            return kind == Kind.SET || kind == Kind.DELETE;
        }

        boolean isCounterOperation() {
            return kind == Kind.INCR || kind == Kind.COUNTER_GET;
        }

        /** The timestamp the cluster gave a write it acknowledged, or null (not acknowledged: outcome unknown). */
        Timestamp acknowledgedAt() {
            return response instanceof Responses.Written written ? written.timestamp() : null;
        }

        /** Whether the request was served (not an error, not a failed connection). */
        boolean succeeded() {
            return response != null && !(response instanceof Responses.Error);
        }

        /**
         * An increment refused with an error that counted nothing (UNAVAILABLE: its leader down or too few
         * replicas up; WRONG_TYPE...), as opposed to TIMEOUT, UNKNOWN_OUTCOME or a lost connection.
         */
        boolean countedNothing() {
            return response instanceof Responses.Error error && error.code().kind() != memdb.protocol.ErrorCode.Kind.TIMEOUT;
        }

        boolean atLeastQuorum() {
            return level == Consistency.QUORUM || level == Consistency.ALL;
        }

        @Override
        public String toString() {
            return "op" + id + " c" + client + " " + kind + " " + key + (kind == Kind.CAS ? " " + expected + "->" : "")
                    + (value == null ? "" : "=" + value)
                    + (kind == Kind.INCR ? " by " + delta + " id " + operationId : "") + " " + level
                    + " via n" + node + " [" + invokeMs + "ms.." + (completed() ? completeMs + "ms" : "pending") + "] -> "
                    + (response != null ? Describe.message(response) : failure);
        }
    }

    private final List<Operation> operations = new ArrayList<>();
    private long step;

    Operation invoke(int client, Kind kind, String key, String value, Consistency level, int node, long nowMs) {
        Operation operation = new Operation(operations.size(), client, kind, key, value, level, node, ++step, nowMs);
        operations.add(operation);
        return operation;
    }

    Operation operation(long id) {
        return operations.get((int) id);
    }

    void complete(Operation operation, Response response, String failure, long nowMs) {
        if (operation.completed()) throw new IllegalStateException(operation + " completed twice");
        operation.completeStep = ++step;
        operation.completeMs = nowMs;
        operation.response = response;
        operation.failure = failure;
    }

    List<Operation> operations() {
        return Collections.unmodifiableList(operations);
    }
}
