package memdb.repair;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import memdb.cluster.Membership;
import memdb.counter.CounterReplica;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.protocol.CounterMessages;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.protocol.RepairMessages;
import memdb.protocol.RepairMessages.Entry;
import memdb.protocol.StateTransferMessages;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * Anti-entropy (Dynamo §4.7): a round compares every range this node replicates with each other replica
 * of it by Merkle tree ({@link RangeTree}): ask the peer for the children of the root, descend into the
 * children that differ, fetch the entries of differing leaves, keep the newer version of each key
 * (last-writer-wins, tombstones included, as {@link Replica} does) and push back what the peer lacks or
 * holds older. Then the range's counters: compare digests (COUNTER_DIGEST), and when they differ fetch the
 * peer's counters (COUNTER_FETCH), merge them here (per-slot maximum) and send back (COUNTER_MERGE) every
 * counter the peer holds behind ours. Rounds start every {@code intervalMs} or on demand ({@link #requestRound}); peers' repair
 * requests are answered by its {@link RepairResponder} ({@link #serve}).
 *
 * <p>Invariants: pure (time in {@code nowMs}, messages through the {@link Outbox}); at most
 * {@code rangesInFlightMax} ranges in progress, each with at most one message in flight; no message
 * leaves while the bandwidth budget is spent (it refills at {@code bandwidthBytesPerSec}, bursting at
 * most one second's worth), so repair traffic averages at most that rate; a range whose peer is down,
 * answers an error or nothing within the timeout fails, and a round with a failed range is not
 * {@link RepairReport#complete}; every correlation id this class uses has {@link #TAG} set, and only
 * those reach it.
 */
public final class AntiEntropy {
    /**
     * Marks the correlation ids of repair messages: bit 59 (counters use bit 60, hinted handoff 61, Paxos 62,
     * streaming 63; the coordinator's never reach them).
     */
    public static final long TAG = 1L << 59;
    /** Leaves fetched per message, so a fetch answer stays a small part of the range. */
    static final int LEAVES_PER_FETCH = 16;
    /** Bytes of entries per push message. */
    static final int PUSH_BYTES_MAX = 1 << 20;

    private final Store store;
    private final Replica replica;
    private final CounterReplica counterReplica;
    private final CounterStore counters;
    private final Membership membership;
    private final int replicationFactor;
    private final RepairSettings settings;
    private final RepairTotals totals = new RepairTotals();
    private final Map<Long, Task> inFlight = new HashMap<>();
    private final ArrayDeque<Task> readyToSend = new ArrayDeque<>();
    private final List<Waiter> waitingForNextRound = new ArrayList<>();
    private Consumer<RepairReport> listener = report -> {};
    private Round round;
    private final RepairResponder responder;
    private long nextRoundMs;
    private long nextSequence = 1;
    private double budgetBytes;
    private long refilledAtMs;

    private enum Stage { ROOT, INNER, FETCH, PUSH, COUNTER_DIGEST, COUNTER_FETCH, COUNTER_PUSH }

    /** One (range, peer) comparison. */
    private final class Task {
        final DigestIndex.RangeData range;
        final int peer;
        Stage stage = Stage.ROOT;
        Request next;
        long deadlineMs;
        List<Integer> differingInner = List.of();
        final ArrayDeque<Integer> leavesToFetch = new ArrayDeque<>();
        final ArrayDeque<List<Entry>> pushes = new ArrayDeque<>();
        /** Counters: the last key fetched, whether more follow, the keys the peer holds, the merges to send it. */
        Key counterCursor = Key.wrap(new byte[0]);
        boolean counterMore;
        final Set<Key> peerCounters = new HashSet<>();
        final ArrayDeque<CounterMessages.Merge> counterPushes = new ArrayDeque<>();

        Task(DigestIndex.RangeData range, int peer) {
            this.range = range;
            this.peer = peer;
        }
    }

    private static final class Round {
        final long startedMs;
        final ArrayDeque<Task> todo = new ArrayDeque<>();
        final List<Waiter> waiters = new ArrayList<>();
        int active;
        long rangesCompared, rangesDiffering, rangesFailed, keysDiffering, entriesReceived, entriesSent, bytesSent, bytesReceived;

        Round(long startedMs) {
            this.startedMs = startedMs;
        }
    }

    public AntiEntropy(Store store, Replica replica, Membership membership, int replicationFactor, RepairSettings settings,
                       long nowMs) {
        this(store, replica, new CounterStore(), null, membership, replicationFactor, settings, nowMs);
    }

    /** Anti-entropy of the store's entries and of the counters ({@code counterReplica} merges what peers hold). */
    public AntiEntropy(Store store, Replica replica, CounterStore counters, CounterReplica counterReplica, Membership membership,
                       int replicationFactor, RepairSettings settings, long nowMs) {
        this.store = store;
        this.replica = replica;
        this.counters = counters;
        this.counterReplica = counterReplica;
        this.membership = membership;
        this.replicationFactor = replicationFactor;
        this.settings = settings;
        this.nextRoundMs = settings.intervalMs() > 0 ? nowMs + settings.intervalMs() : Long.MAX_VALUE;
        this.refilledAtMs = nowMs;
        this.budgetBytes = settings.bandwidthBytesPerSec();
        this.responder = new RepairResponder(store, replica, counters, membership, replicationFactor);
    }

    /** Whether a correlation id belongs to a repair message. */
    public static boolean owns(long correlationId) {
        return (correlationId & TAG) != 0;
    }

    /** Told of every finished round, on the core thread (the node records complete ones durably). */
    public void onRoundFinished(Consumer<RepairReport> listener) {
        this.listener = listener;
    }

    /** Told when the round it waits for has ended, with the outbox of that step (to answer a peer). */
    public interface Waiter {
        void finished(RepairReport report, Outbox out);
    }

    /** Runs a round as soon as possible; {@code done} gets its report. A round under way is not it: the next one is. */
    public void requestRound(Consumer<RepairReport> done, long nowMs) {
        requestRound((report, out) -> done.accept(report), nowMs);
    }

    public void requestRound(Waiter done, long nowMs) {
        waitingForNextRound.add(done);
        if (round == null) nextRoundMs = nowMs;
    }

    public boolean roundRunning() {
        return round != null;
    }

    public RepairTotals totals() {
        return totals;
    }

    // ---- time -------------------------------------------------------------------------------------

    public void tick(long nowMs, Outbox out) {
        refill(nowMs);
        if (round == null && nowMs >= nextRoundMs) startRound(nowMs, out);
        if (round == null) return;
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Task> e : inFlight.entrySet()) if (e.getValue().deadlineMs <= nowMs) expired.add(e.getKey());
        expired.sort(Long::compare);
        for (long id : expired) fail(inFlight.remove(id));
        pump(nowMs, out);
    }

    private void refill(long nowMs) {
        long rate = settings.bandwidthBytesPerSec();
        if (rate == 0 || nowMs <= refilledAtMs) return;
        budgetBytes = Math.min(rate, budgetBytes + rate * (nowMs - refilledAtMs) / 1000.0);
        refilledAtMs = nowMs;
    }

    private boolean budgetLeft() {
        return settings.bandwidthBytesPerSec() == 0 || budgetBytes > 0;
    }

    private void spend(Round r, long bytes, boolean sent) {
        budgetBytes -= bytes;
        if (sent) r.bytesSent += bytes; else r.bytesReceived += bytes;
    }

    private void startRound(long nowMs, Outbox out) {
        round = new Round(nowMs);
        round.waiters.addAll(waitingForNextRound);
        waitingForNextRound.clear();
        DigestIndex index = DigestIndex.build(store, membership.ring(), membership.ringVersion(), membership.selfId(),
                replicationFactor, nowMs);
        responder.serveFrom(index);
        for (DigestIndex.RangeData range : index.ranges()) {
            for (int peer : membership.ring().preferenceListAt(range.end(), replicationFactor)) {
                if (peer != membership.selfId()) round.todo.add(new Task(range, peer));
            }
        }
        pump(nowMs, out);
    }

    /** Starts ranges and sends what is ready, while the budget and the in-flight bound allow. */
    private void pump(long nowMs, Outbox out) {
        Round r = round;
        while (budgetLeft() && !readyToSend.isEmpty()) send(readyToSend.poll(), nowMs, out);
        while (budgetLeft() && r.active < settings.rangesInFlightMax() && !r.todo.isEmpty()) {
            Task task = r.todo.poll();
            r.active++;
            if (!membership.isUp(task.peer, nowMs)) {
                fail(task);
                continue;
            }
            task.next = new RepairMessages.Digest(task.range.start(), task.range.end(), 0, List.of(0));
            send(task, nowMs, out);
        }
        if (r.active == 0 && r.todo.isEmpty()) finish(nowMs, out);
    }

    private void send(Task task, long nowMs, Outbox out) {
        long id = TAG | nextSequence++;
        task.deadlineMs = nowMs + settings.requestTimeoutMs();
        inFlight.put(id, task);
        spend(round, requestBytes(task.next), true);
        out.send(task.peer, id, task.next);
    }

    private void finish(long nowMs, Outbox out) {
        Round r = round;
        round = null;
        RepairReport report = new RepairReport(r.rangesFailed == 0, r.startedMs, nowMs - r.startedMs, r.rangesCompared,
                r.rangesDiffering, r.rangesFailed, r.keysDiffering, r.entriesReceived, r.entriesSent, r.bytesSent,
                r.bytesReceived);
        totals.add(report);
        nextRoundMs = settings.intervalMs() > 0 ? nowMs + settings.intervalMs() : Long.MAX_VALUE;
        if (!waitingForNextRound.isEmpty()) nextRoundMs = nowMs;
        listener.accept(report);
        r.waiters.forEach(w -> w.finished(report, out));
        if (nextRoundMs <= nowMs) startRound(nowMs, out);
    }

    // ---- answers from peers -----------------------------------------------------------------------

    public void onResponse(long correlationId, Response response, long nowMs, Outbox out) {
        Task task = inFlight.remove(correlationId);
        if (task == null || round == null) return;
        try {
            advance(task, response);
        } catch (IllegalArgumentException | memdb.protocol.MemDbException e) {
            fail(task); // a malformed answer (wrong count of hashes, a bad key): this range is not repaired
        }
        pump(nowMs, out);
    }

    public void onFailure(long correlationId, long nowMs, Outbox out) {
        Task task = inFlight.remove(correlationId);
        if (task == null || round == null) return;
        fail(task);
        pump(nowMs, out);
    }

    private void advance(Task task, Response response) {
        if (task.stage == Stage.ROOT && response instanceof RepairMessages.Hashes hashes) {
            spend(round, 8L * hashes.hashes().size(), false);
            task.differingInner = differing(hashes.hashes(), List.of(0), 0, task.range.tree());
            if (task.differingInner.isEmpty()) {
                keysDone(task);
                return;
            }
            round.rangesDiffering++;
            task.stage = Stage.INNER;
            queue(task, new RepairMessages.Digest(task.range.start(), task.range.end(), 1, task.differingInner));
        } else if (task.stage == Stage.INNER && response instanceof RepairMessages.Hashes hashes) {
            spend(round, 8L * hashes.hashes().size(), false);
            task.leavesToFetch.addAll(differing(hashes.hashes(), task.differingInner, 1, task.range.tree()));
            task.stage = Stage.FETCH;
            nextFetchOrDone(task);
        } else if (task.stage == Stage.FETCH && response instanceof RepairMessages.Entries entries) {
            spend(round, entries.entries().stream().mapToLong(Entry::wireBytes).sum(), false);
            List<Integer> asked = ((RepairMessages.Fetch) task.next).leaves();
            if (entries.leavesServed() < 1 || entries.leavesServed() > asked.size()) {
                throw new IllegalArgumentException("served " + entries.leavesServed() + " of " + asked.size() + " leaves");
            }
            List<Integer> served = asked.subList(0, entries.leavesServed());
            for (int i = asked.size() - 1; i >= served.size(); i--) task.leavesToFetch.addFirst(asked.get(i)); // fetched next
            reconcile(task, served, entries.entries());
            if (!task.pushes.isEmpty()) {
                task.stage = Stage.PUSH;
                queue(task, new RepairMessages.Push(task.pushes.poll()));
            } else {
                nextFetchOrDone(task);
            }
        } else if (task.stage == Stage.PUSH && response instanceof RepairMessages.Pushed) {
            if (!task.pushes.isEmpty()) {
                queue(task, new RepairMessages.Push(task.pushes.poll()));
            } else {
                task.stage = Stage.FETCH;
                nextFetchOrDone(task);
            }
        } else if (task.stage == Stage.COUNTER_DIGEST && response instanceof StateTransferMessages.CounterHash theirs) {
            spend(round, 12, false);
            if (theirs.equals(CounterDigests.digest(counters, task.range.start(), task.range.end()))) {
                done(task);
                return;
            }
            task.stage = Stage.COUNTER_FETCH;
            queue(task, new StateTransferMessages.CounterFetch(task.range.start(), task.range.end(), task.counterCursor));
        } else if (task.stage == Stage.COUNTER_FETCH && response instanceof StateTransferMessages.CounterChunk chunk) {
            reconcileCounters(task, chunk);
            nextCounterStep(task);
        } else if (task.stage == Stage.COUNTER_PUSH && (response instanceof CounterMessages.State
                || response instanceof memdb.protocol.Responses.Error)) {
            nextCounterStep(task); // an error (WRONG_TYPE: a value holds the key there now) needs nothing more
        } else {
            fail(task); // an error, or an answer that does not fit the stage
        }
    }

    /** The child indices (at level + 1) whose hashes differ from ours; the peer sent FANOUT per parent. */
    private static List<Integer> differing(List<Long> theirs, List<Integer> parents, int level, RangeTree ours) {
        if (theirs.size() != parents.size() * RepairMessages.FANOUT) {
            throw new IllegalArgumentException("expected " + parents.size() * RepairMessages.FANOUT + " hashes");
        }
        List<Integer> differ = new ArrayList<>();
        for (int p = 0; p < parents.size(); p++) {
            long[] mine = ours.children(level, parents.get(p));
            for (int c = 0; c < RepairMessages.FANOUT; c++) {
                if (mine[c] != theirs.get(p * RepairMessages.FANOUT + c)) differ.add(parents.get(p) * RepairMessages.FANOUT + c);
            }
        }
        return differ;
    }

    private void nextFetchOrDone(Task task) {
        if (task.leavesToFetch.isEmpty()) {
            keysDone(task);
            return;
        }
        List<Integer> leaves = new ArrayList<>();
        while (leaves.size() < LEAVES_PER_FETCH && !task.leavesToFetch.isEmpty()) leaves.add(task.leavesToFetch.poll());
        task.next = new RepairMessages.Fetch(task.range.start(), task.range.end(), leaves);
        readyToSend.add(task);
    }

    private void queue(Task task, Request next) {
        task.next = next;
        readyToSend.add(task);
    }

    /** Keeps the newer of each key's two versions here, and lines up pushes of what the peer lacks or holds older. */
    private void reconcile(Task task, List<Integer> servedLeaves, List<Entry> theirs) {
        Set<Integer> leaves = new HashSet<>(servedLeaves);
        Map<Key, Versioned> mine = DigestIndex.entriesIn(store, task.range, leaves);
        Map<Key, Versioned> peer = new LinkedHashMap<>();
        for (Entry entry : theirs) {
            Key key = entry.key().validate();
            if (!leaves.contains(RangeTree.leafOf(memdb.ring.Ring.position(key)))) continue; // not what we asked for
            Versioned version = Replica.versionOf(entry.version());
            peer.put(key, version);
            Versioned held = store.get(key);
            if (held == null || version.timestamp().isAfter(held.timestamp())) {
                responder.apply(key, version);
                round.entriesReceived++;
                round.keysDiffering++;
            } else if (!held.timestamp().equals(version.timestamp())) {
                round.keysDiffering++; // ours is newer: pushed below
            }
        }
        List<Entry> batch = new ArrayList<>();
        long batchBytes = 0;
        for (Map.Entry<Key, Versioned> e : mine.entrySet()) {
            Versioned held = peer.get(e.getKey());
            if (held != null && !e.getValue().timestamp().isAfter(held.timestamp())) continue;
            if (held == null) round.keysDiffering++;
            Entry entry = new Entry(e.getKey(), RepairResponder.valueOf(e.getValue()));
            batch.add(entry);
            batchBytes += entry.wireBytes();
            if (batchBytes >= PUSH_BYTES_MAX) {
                task.pushes.add(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
        }
        if (!batch.isEmpty()) task.pushes.add(batch);
        round.entriesSent += task.pushes.stream().mapToLong(List::size).sum();
    }

    /** The range's keys are compared: its counters next (when this node keeps counters), then the task is done. */
    private void keysDone(Task task) {
        if (counterReplica == null) {
            done(task);
            return;
        }
        task.stage = Stage.COUNTER_DIGEST;
        queue(task, new StateTransferMessages.CounterDigest(task.range.start(), task.range.end()));
    }

    /**
     * Merges the peer's counters into ours (per-slot maximum: idempotent, so pushing both ways is safe) and
     * lines up a COUNTER_MERGE of ours for every counter the peer holds behind ours.
     */
    private void reconcileCounters(Task task, StateTransferMessages.CounterChunk chunk) {
        for (StateTransferMessages.CounterEntry entry : chunk.entries()) {
            Key key = entry.key().validate();
            if (!DigestIndex.contains(task.range.start(), task.range.end(), memdb.ring.Ring.position(key))) continue;
            spend(round, key.length() + 40L * entry.counter().slots().size(), false);
            task.peerCounters.add(key);
            PnCounter before = counters.get(key);
            PnCounter merged;
            try {
                merged = counterReplica.merge(key, entry.counter());
            } catch (memdb.protocol.MemDbException e) {
                continue; // a newer value holds the key here: nothing to repair
            }
            if (before == null || !before.equals(merged)) {
                round.entriesReceived++;
                round.keysDiffering++;
            }
            if (!merged.equals(entry.counter())) task.counterPushes.add(new CounterMessages.Merge(key, merged));
        }
        task.counterMore = chunk.more();
        if (!chunk.entries().isEmpty()) task.counterCursor = chunk.entries().get(chunk.entries().size() - 1).key();
        if (task.counterMore) return;
        for (Map.Entry<Key, PnCounter> mine : CounterDigests.all(counters, task.range.start(), task.range.end()).entrySet()) {
            if (task.peerCounters.contains(mine.getKey())) continue;
            round.keysDiffering++;
            task.counterPushes.add(new CounterMessages.Merge(mine.getKey(), mine.getValue()));
        }
    }

    /** Sends the next counter merge, else fetches more of the peer's counters, else the task is done. */
    private void nextCounterStep(Task task) {
        if (!task.counterPushes.isEmpty()) {
            task.stage = Stage.COUNTER_PUSH;
            round.entriesSent++;
            queue(task, task.counterPushes.poll());
        } else if (task.counterMore) {
            task.stage = Stage.COUNTER_FETCH;
            queue(task, new StateTransferMessages.CounterFetch(task.range.start(), task.range.end(), task.counterCursor));
        } else {
            done(task);
        }
    }

    private void done(Task task) {
        round.rangesCompared++;
        round.active--;
    }

    private void fail(Task task) {
        readyToSend.remove(task);
        round.rangesFailed++;
        round.active--;
    }

    // ---- serving peers ----------------------------------------------------------------------------

    /** A peer asks for a round now (REPAIR_RUN): answered with its summary when it ends. */
    public void run(Object replyTo, long nowMs) {
        requestRound((report, out) -> out.reply(replyTo, summary(report)), nowMs);
    }

    public static RepairMessages.Summary summary(RepairReport r) {
        return new RepairMessages.Summary(r.complete(), r.durationMs(), r.rangesCompared(), r.rangesDiffering(), r.rangesFailed(),
                r.keysDiffering(), r.entriesReceived(), r.entriesSent(), r.bytesSent(), r.bytesReceived());
    }

    /** The answer to a peer's repair request; null when {@code request} is not one. */
    public Response serve(Request request, long nowMs) {
        return responder.serve(request, nowMs);
    }

    private static long requestBytes(Request request) {
        if (request instanceof RepairMessages.Push push) return push.entries().stream().mapToLong(Entry::wireBytes).sum() + 8;
        if (request instanceof RepairMessages.Digest digest) return 24 + 4L * digest.nodes().size();
        if (request instanceof RepairMessages.Fetch fetch) return 24 + 4L * fetch.leaves().size();
        if (request instanceof CounterMessages.Merge merge) return merge.key().length() + 40L * merge.counter().slots().size();
        return 16;
    }
}
