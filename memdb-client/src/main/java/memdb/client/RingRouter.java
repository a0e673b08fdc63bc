package memdb.client;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import memdb.protocol.AuthenticationException;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses.ClusterView;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Response;

/**
 * The cluster-aware router (DESIGN §5, §7): learns the cluster by asking CLUSTER_INFO, builds the ring the
 * nodes compute ({@link RoutingTable}), and routes each key to its preference list, replicas believed up
 * and recently reachable first.
 *
 * <p>Learning and refresh: the first request asks the seeds in turn, the first answer wins; requests
 * made meanwhile wait for that one attempt. Afterwards the view is refreshed every
 * {@code clusterRefreshInterval} and at once (at most one per {@link #FAILURE_REFRESH_GAP_NANOS}) when the
 * client fails to reach a node, asking the known members (up ones first) and then the seeds. A refresh
 * that gets no answer keeps the old view: a stale ring still routes, and a request that never reached a
 * node falls through to the key's next replica. Without any view every request fails with
 * UnavailableException ("cannot learn the MemDB cluster: no seed answered (...)"); an auth failure
 * ends the attempt at once with AuthenticationException (every node shares the key).
 *
 * <p>Invariants: at most one refresh is in flight; an answer with an older ring version than the table's
 * never replaces it (a lagging node must not roll the ring back); requests that waited for the first
 * view are released in arrival order before the table is published, so that no later request overtakes
 * them (a burst of async writes to one key stays in order); at most {@code queuedRequestsMax} requests
 * wait for a view, more fail at once with OVERLOADED.
 *
 * <p>Threading: {@link #table} is read from any thread; everything else is owned by the pool's event
 * loop (no locks, no extra threads: the refresh timer is scheduled on that loop).
 */
final class RingRouter implements Router {
    /** Node failures closer together than this cause one refresh, not one each. */
    static final long FAILURE_REFRESH_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ConnectionPool pool;
    private final List<NodeAddress> seeds;
    private final Duration refreshInterval;
    private final EventLoop loop;
    private volatile RoutingTable table;
    private volatile boolean closed;
    /** {@code pool::recentlyUnreachable}, made once (a method reference allocates where it is evaluated). */
    private final Predicate<NodeAddress> recentlyUnreachable;
    // Owned by the event loop.
    private boolean refreshing;
    private final ArrayDeque<CompletableFuture<RoutingTable>> waiters = new ArrayDeque<>();
    private ScheduledFuture<?> periodicRefresh;
    private long lastFailureRefreshNanos;

    RingRouter(ConnectionPool pool, List<NodeAddress> seeds, Duration refreshInterval) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("a ring router needs at least one seed");
        this.pool = pool;
        this.seeds = List.copyOf(seeds);
        this.refreshInterval = refreshInterval;
        this.loop = pool.loop();
        this.recentlyUnreachable = pool::recentlyUnreachable;
    }

    @Override
    public CompletableFuture<Route> route(Key key) {
        RoutingTable current = table;
        if (current != null) return CompletableFuture.completedFuture(current.route(key, recentlyUnreachable));
        CompletableFuture<RoutingTable> learned = new CompletableFuture<>();
        try {
            loop.execute(() -> awaitFirstView(learned));
        } catch (RejectedExecutionException e) {
            learned.completeExceptionally(Failures.clientClosed());
        }
        return learned.thenApply(view -> view.route(key, recentlyUnreachable));
    }

    @Override
    public Route routeIfKnown(Key key) {
        RoutingTable current = table;
        return current == null ? null : current.route(key, recentlyUnreachable);
    }

    @Override
    public void nodeFailed(NodeAddress node) {
        runOnLoop(() -> {
            long now = System.nanoTime();
            if (closed || refreshing || now - lastFailureRefreshNanos < FAILURE_REFRESH_GAP_NANOS) return;
            lastFailureRefreshNanos = now;
            refresh();
        });
    }

    @Override
    public void close() {
        closed = true;
        runOnLoop(() -> {
            if (periodicRefresh != null) periodicRefresh.cancel(false);
        });
    }

    /** On the loop: a request that found no view waits, in arrival order, for the refresh in flight. */
    private void awaitFirstView(CompletableFuture<RoutingTable> waiter) {
        if (table != null) {
            waiter.complete(table);
            return;
        }
        if (waiters.size() >= pool.config().queuedRequestsMax()) {
            waiter.completeExceptionally(Failures.tooManyWaitingForClusterView(waiters.size()));
            return;
        }
        waiters.add(waiter);
        refresh();
    }

    /** On the loop: starts a refresh unless one is in flight. */
    private void refresh() {
        if (refreshing) return;
        refreshing = true;
        ask(candidates(), 0, new ArrayList<>());
    }

    /** Known members (up and reachable first), then the seeds; each once. */
    private List<NodeAddress> candidates() {
        RoutingTable current = table;
        if (current == null) return seeds;
        Set<NodeAddress> order = new LinkedHashSet<>();
        List<NodeAddress> unreachable = new ArrayList<>();
        for (NodeAddress member : current.membersUpFirst()) {
            if (pool.recentlyUnreachable(member)) unreachable.add(member);
            else order.add(member);
        }
        order.addAll(seeds);
        order.addAll(unreachable);
        return List.copyOf(order);
    }

    /** Asks candidates[index] for its view; on failure the next, until one answers or none is left. */
    private void ask(List<NodeAddress> candidates, int index, List<MemDbException> failures) {
        if (closed || pool.isClosed()) {
            finish(null, Failures.clientClosed());
            return;
        }
        if (index == candidates.size()) {
            finish(null, Failures.noClusterView(failures));
            return;
        }
        NodeAddress node = candidates.get(index);
        pool.send(node, new ClusterRequests.ClusterInfo()).result().whenComplete((response, failure) -> runOnLoop(() -> {
            try {
                if (failure != null) throw Futures.toMemDbException(failure);
                finish(nextTable(node, response), null);
            } catch (AuthenticationException e) {
                finish(null, e);
            } catch (MemDbException e) {
                failures.add(e);
                ask(candidates, index + 1, failures);
            }
        }));
    }

    /** The routing table after the node's answer (the current one when the answer is older). */
    private RoutingTable nextTable(NodeAddress node, Response response) {
        if (!(response instanceof ClusterView view)) {
            throw Failures.protocolViolation(node, "CLUSTER_INFO was answered with " + response);
        }
        try {
            RoutingTable current = table;
            return current == null ? RoutingTable.of(view) : current.next(view);
        } catch (IllegalArgumentException e) {
            throw Failures.unusableClusterView(node, e.getMessage());
        }
    }

    /**
     * Ends a refresh: the waiting requests get the new table (or the old one when this refresh failed, or
     * the failure when there is none), in arrival order, and only then is the table published, so that no
     * later request can overtake one that waited.
     */
    private void finish(RoutingTable next, MemDbException failure) {
        refreshing = false;
        RoutingTable usable = next != null ? next : table;
        for (CompletableFuture<RoutingTable> waiter = waiters.poll(); waiter != null; waiter = waiters.poll()) {
            if (usable != null) waiter.complete(usable);
            else waiter.completeExceptionally(failure);
        }
        table = usable;
        if (usable != null) schedulePeriodicRefresh();
    }

    private void schedulePeriodicRefresh() {
        if (periodicRefresh != null || closed) return;
        long intervalNanos = refreshInterval.toNanos();
        periodicRefresh = loop.scheduleWithFixedDelay(this::refresh, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs the task on the loop: at once when already there; dropped once the loop is gone (client closed). */
    private void runOnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The client is closed; close() failed every pending call already.
        }
    }
}
