package memdb.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import memdb.clock.LamportClock;
import memdb.counter.CounterStore;
import memdb.oplog.OpLog;
import memdb.paxos.AcceptorStates;
import memdb.store.Store;

/**
 * The part of a boot that does not depend on the replayed state, run on its own thread while the op log
 * replays: the node's keys and TLS contexts ({@link NodeSecurity}), and the first use of the core's and the
 * network's classes (loading, linking, static initialisers, Netty's native transport and buffer pool), which
 * took about an eighth of the boot's main thread after replay in the session-3 profile
 * (docs/oplog-benchmark.md). Nothing here binds a port: the boot thread binds them before the replay and
 * serves them after it (NodePorts), so the node never answers before its state is rebuilt.
 *
 * <p>Rule: the boot's outcome does not change. The security is resolved exactly as the boot would resolve
 * it, and its failure is thrown where the boot asks for it ({@link #security()}; one difference: a boot
 * that then fails on a damaged log may already have created the user's generated auth key file, as the
 * next successful boot would); the class warm-up is a
 * throwaway core over an empty store and a log that persists nothing, and its failures are ignored (the real
 * use meets and reports them).
 */
final class BootWarmup {
    /** Netty classes whose static initialisation is slow (native library, buffer pool), first used by the listeners. */
    private static final String[] NETWORK_CLASSES = {
        "io.netty.channel.epoll.Epoll",
        "io.netty.buffer.PooledByteBufAllocator",
        "io.netty.bootstrap.ServerBootstrap",
        "io.netty.channel.MultiThreadIoEventLoopGroup",
        "io.netty.handler.codec.http.HttpServerCodec",
        "memdb.net.ClientServer",
        "memdb.net.ClientListener",
        "memdb.admin.AdminServer",
    };

    private final CompletableFuture<NodeSecurity> security = new CompletableFuture<>();

    private BootWarmup() {}

    /** Starts the warm-up of a node with {@code config} on a daemon thread. */
    static BootWarmup start(ServerConfig config) {
        BootWarmup warmup = new BootWarmup();
        Thread thread = new Thread(() -> warmup.run(config), "memdb-boot-warmup");
        thread.setDaemon(true);
        thread.start();
        return warmup;
    }

    /** The node's security, resolved on the warm-up thread; waits for it. */
    NodeSecurity security() {
        try {
            return security.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private void run(ServerConfig config) {
        try {
            security.complete(NodeSecurity.of(config));
        } catch (Throwable e) {
            security.completeExceptionally(e);
        }
        try {
            Node.newCore(config, new LamportClock(config.nodeId(), 0), new Store(), new CounterStore(), OpLog.none(),
                    new AcceptorStates(), 0, Canaries.NONE);
            ClassLoader loader = BootWarmup.class.getClassLoader();
            for (String name : NETWORK_CLASSES) Class.forName(name, true, loader);
            io.netty.channel.epoll.Epoll.isAvailable();
        } catch (Throwable e) {
            // only a warm-up: the boot thread's own use of these classes reports what is wrong
        }
    }
}
