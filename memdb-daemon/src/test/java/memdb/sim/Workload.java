package memdb.sim;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The simulated clients: each sends one request at a time (SET, DELETE, GET, CONTAINS at ONE, QUORUM or
 * ALL; and on the counter keys increments and counter reads) to a random node, waits for its answer, thinks a little, and goes on until it has done its share.
 * Values are unique in the run ("c3-17": client 3's 17th write), so a read can be traced to the write
 * that produced it. Clients carry the highest Lamport time they have heard, or none, as the run says.
 *
 * <p>Client 0 is the checker's own client: {@link #request} sends one request on its behalf, recorded
 * in the same history, so that the final reads are judged by the same rules as the workload's.
 */
final class Workload implements SimNetwork.ClientSide {
    static final int CHECKER = 0;

    private final SimConfig config;
    private final EventQueue events;
    private final Random random;
    private final SimNetwork network;
    private final History history;
    private final Consumer<String> violations;
    private final long[] lamportSeen;
    private final int[] operationsDone;
    private final int[] writes;
    private final History.Operation[] lastFailedIncrement;
    /** Per client: some attempt of the increment being retried may have been counted (a new id would count it twice). */
    private final boolean[] mayHaveCounted;
    private int clientsFinished;
    private final boolean cas;
    /** CAS mode: per client and key, the last value the client saw (the expectation of its next CAS). */
    private final java.util.Map<String, String> lastSeen = new java.util.HashMap<>();
    private Consumer<History.Operation> onAcknowledgedWrite = op -> {};

    Workload(SimConfig config, EventQueue events, Random random, SimNetwork network, History history,
             Consumer<String> violations, boolean cas) {
        this.cas = cas;
        this.config = config;
        this.events = events;
        this.random = random;
        this.network = network;
        this.history = history;
        this.violations = violations;
        this.lamportSeen = new long[config.clients() + 1];
        this.operationsDone = new int[config.clients() + 1];
        this.writes = new int[config.clients() + 1];
        this.lastFailedIncrement = new History.Operation[config.clients() + 1];
        this.mayHaveCounted = new boolean[config.clients() + 1];
        network.attach(this);
    }

    /** Who wants to hear of each acknowledged write as the client gets it (the nemesis, to strike then). */
    void onAcknowledgedWrite(Consumer<History.Operation> listener) {
        this.onAcknowledgedWrite = listener;
    }

    static String key(int index) {
        return "k" + index;
    }

    /** The counter keys are their own ("n0", "n1", ...): a key holds a value or a counter, never both. */
    static String counterKey(int index) {
        return "n" + index;
    }

    /**
     * In CAS mode fewer operations, so that each key's history stays within what the linearizability
     * checker can search (unknown outcomes stay open to the end and multiply the orders to try).
     */
    private int operationsPerClient() {
        return cas ? Math.min(12, config.operationsPerClient()) : config.operationsPerClient();
    }

    /** The keys the workload uses: in CAS mode at most 3, so that clients contend. */
    int keys() {
        return cas ? Math.min(3, config.keys()) : config.keys();
    }

    void start() {
        for (int client = 1; client <= config.clients(); client++) {
            int c = client;
            events.after(random.nextInt((int) config.thinkMsMax() + 1), () -> next(c));
        }
    }

    boolean finished() {
        return clientsFinished == config.clients();
    }

    /** The clients that still have requests to make or answers to wait for. */
    String unfinished() {
        StringBuilder s = new StringBuilder();
        for (History.Operation op : history.operations()) if (!op.completed()) s.append("\n  unanswered: ").append(op);
        return s.toString();
    }

    private void next(int client) {
        if (operationsDone[client] == operationsPerClient()) {
            clientsFinished++;
            return;
        }
        if (cas) {
            History.Kind kind = random.nextInt(100) < 65 ? History.Kind.CAS : History.Kind.SERIAL_GET;
            request(client, kind, key(random.nextInt(keys())), Consistency.QUORUM, 1 + random.nextInt(config.nodes()));
            return;
        }
        if (random.nextInt(5) == 0) {
            counterOperation(client);
            return;
        }
        int roll = random.nextInt(100);
        History.Kind kind = roll < 35 ? History.Kind.SET : roll < 45 ? History.Kind.DELETE
                : roll < 85 ? History.Kind.GET : History.Kind.CONTAINS;
        int levelRoll = random.nextInt(10);
        Consistency level = levelRoll < 2 ? Consistency.ONE : levelRoll < 8 ? Consistency.QUORUM : Consistency.ALL;
        request(client, kind, key(random.nextInt(config.keys())), level, 1 + random.nextInt(config.nodes()));
    }

    /**
     * A fifth of the requests are counter operations: mostly increments by a small delta of either sign,
     * some counter reads; an increment that failed is retried half of the time (as the Java client does),
     * with the same operation id once an attempt may have been counted, to exercise idempotency.
     */
    private void counterOperation(int client) {
        int levelRoll = random.nextInt(10);
        Consistency level = levelRoll < 2 ? Consistency.ONE : levelRoll < 8 ? Consistency.QUORUM : Consistency.ALL;
        int node = 1 + random.nextInt(config.nodes());
        History.Operation failed = lastFailedIncrement[client];
        lastFailedIncrement[client] = null;
        if (failed != null && random.nextBoolean()) {
            // As the Java client: a new operation id only while no attempt may have been counted.
            long id = mayHaveCounted[client] || random.nextBoolean() ? failed.operationId : random.nextLong();
            increment(client, failed.key, id, failed.delta, level, node);
        } else if (random.nextInt(10) < 7) {
            long delta = random.nextInt(4) == 0 ? -1 - random.nextInt(3) : 1 + random.nextInt(5);
            mayHaveCounted[client] = false;
            increment(client, counterKey(random.nextInt(config.keys())), random.nextLong(), delta, level, node);
        } else {
            request(client, History.Kind.COUNTER_GET, counterKey(random.nextInt(config.keys())), level, node);
        }
    }

    /** Sends one increment (a new one, or the retry of {@code operationId}) and records its invocation. */
    History.Operation increment(int client, String key, long operationId, long delta, Consistency level, int node) {
        History.Operation op = history.invoke(client, History.Kind.INCR, key, null, level, node, events.nowMs());
        op.delta = delta;
        op.operationId = operationId;
        network.sendClientRequest(new SimNetwork.ClientHandle(client, op.id), node,
                new CounterMessages.Add(Key.of(key), operationId, delta, level),
                config.clientsCarryLamport() ? lamportSeen[client] : 0);
        return op;
    }

    /** Sends one request for {@code client} and records its invocation. */
    History.Operation request(int client, History.Kind kind, String key, Consistency level, int node) {
        String value = kind == History.Kind.SET || kind == History.Kind.CAS ? "c" + client + "-" + ++writes[client] : null;
        History.Operation op = history.invoke(client, kind, key, value, level, node, events.nowMs());
        Key k = Key.of(key);
        if (kind == History.Kind.CAS) op.expected = random.nextInt(5) == 0 ? null : lastSeen.get(client + "/" + key);
        Request request = switch (kind) {
            case SET -> new Requests.Set(k, value.getBytes(StandardCharsets.UTF_8), level);
            case DELETE -> new Requests.Delete(k, level);
            case GET -> new Requests.Get(k, level);
            case CONTAINS -> new Requests.Contains(k, level);
            case COUNTER_GET -> new CounterMessages.Get(k, level);
            case INCR -> throw new IllegalArgumentException("increments go through increment()");
            case CAS -> new PaxosMessages.Cas(k, op.expected == null ? null : op.expected.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8));
            case SERIAL_GET -> new PaxosMessages.SerialGet(k);
        };
        network.sendClientRequest(new SimNetwork.ClientHandle(client, op.id), node, request,
                config.clientsCarryLamport() ? lamportSeen[client] : 0);
        return op;
    }

    @Override
    public void onReply(SimNetwork.ClientHandle handle, Response response, long lamport) {
        lamportSeen[handle.client()] = Math.max(lamportSeen[handle.client()], lamport);
        complete(handle, response, null);
    }

    @Override
    public void onConnectionFailure(SimNetwork.ClientHandle handle, String reason) {
        complete(handle, null, reason);
    }

    private void complete(SimNetwork.ClientHandle handle, Response response, String failure) {
        History.Operation op = history.operation(handle.operation());
        if (op.completed()) {
            violations.accept("second answer to " + op + ": " + (response != null ? Describe.message(response) : failure));
            return;
        }
        history.complete(op, response, failure, events.nowMs());
        if (op.kind == History.Kind.INCR && !op.succeeded() && handle.client() != CHECKER) {
            lastFailedIncrement[handle.client()] = op;
            if (!op.countedNothing()) mayHaveCounted[handle.client()] = true;
        }
        if (op.kind == History.Kind.SERIAL_GET && response instanceof Responses.Value v) {
            lastSeen.put(handle.client() + "/" + op.key, v.isPresent() ? new String(v.value(), StandardCharsets.UTF_8) : null);
        } else if (op.kind == History.Kind.CAS && response instanceof Responses.Bool swapped && swapped.value()) {
            lastSeen.put(handle.client() + "/" + op.key, op.value);
        }
        if (op.acknowledgedAt() != null) onAcknowledgedWrite.accept(op);
        if (handle.client() == CHECKER) return;
        operationsDone[handle.client()]++;
        events.after(random.nextInt((int) config.thinkMsMax() + 1), () -> next(handle.client()));
    }
}
