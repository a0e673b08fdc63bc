package memdb.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one node: peers and clients reach node {@code target} only through it (the node
 * advertises the proxy's address), and it tells its callers apart by source address (each node has its own
 * loopback address and starts its peer connections from it). Every chunk of bytes is checked against the
 * {@link NetworkFaults}: passed, delayed, dropped with its connection (loss), or, across a partition,
 * refused and closed or black-holed (also when the partition starts while the chunk is delayed). A
 * black-holed connection has lost bytes mid-stream, so it is closed when its link heals. Blocking sockets,
 * two pump threads per connection (a few dozen connections at most).
 */
final class Proxy implements AutoCloseable {
    private static final int POLL_MS = 100;

    private final int target;
    private final InetSocketAddress targetAddress;
    private final Map<InetAddress, Integer> nodeByAddress;
    private final NetworkFaults faults;
    private final Random random;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Proxy(int target, InetSocketAddress listen, InetSocketAddress targetAddress, Map<InetAddress, Integer> nodeByAddress,
          NetworkFaults faults, long seed) throws IOException {
        this.target = target;
        this.targetAddress = targetAddress;
        this.nodeByAddress = Map.copyOf(nodeByAddress);
        this.faults = faults;
        this.random = new Random(seed);
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(listen, 64);
        Thread accept = new Thread(this::acceptLoop, "proxy-" + target);
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket caller;
            try {
                caller = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            int from = nodeByAddress.getOrDefault(caller.getInetAddress(), 0);
            if (faults.isCut(from, target) && faults.cutKind() == NetworkFaults.Cut.CLOSE) {
                closeQuietly(caller);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(targetAddress, 1000);
            } catch (IOException e) {
                closeQuietly(caller);
                closeQuietly(upstream);
                continue;
            }
            open.add(caller);
            open.add(upstream);
            Link link = new Link(from, caller, upstream);
            start(() -> link.pump(caller, upstream, from, target), "proxy-" + from + "-to-" + target);
            start(() -> link.pump(upstream, caller, target, from), "proxy-" + target + "-to-" + from);
        }
    }

    /** One proxied connection: the caller's socket and the one to the node. */
    private final class Link {
        final int from;
        final Socket caller;
        final Socket upstream;
        volatile boolean tainted;

        Link(int from, Socket caller, Socket upstream) {
            this.from = from;
            this.caller = caller;
            this.upstream = upstream;
        }

        /** Passes the bytes that node {@code source} sends node {@code destination} (0: a client) on this connection. */
        void pump(Socket in, Socket out, int source, int destination) {
            byte[] buffer = new byte[16 * 1024];
            try {
                in.setSoTimeout(POLL_MS);
                InputStream input = in.getInputStream();
                OutputStream output = out.getOutputStream();
                while (!closed) {
                    int n;
                    try {
                        n = input.read(buffer);
                    } catch (SocketTimeoutException idle) {
                        n = 0;
                    }
                    if (n < 0) break;
                    boolean cut = faults.isCut(from, target);
                    if (cut && faults.cutKind() == NetworkFaults.Cut.CLOSE) break;
                    if (!cut && tainted) break;
                    if (n == 0) continue;
                    if (cut) {
                        tainted = true; // black hole: the bytes are gone
                        continue;
                    }
                    if (random.nextDouble() < faults.lossProbability()) break;
                    long delay = faults.delayMs(source, destination);
                    if (delay > 0) {
                        Thread.sleep(delay);
                        if (faults.isCut(from, target)) { // cut while it waited: the chunk is lost with the link
                            if (faults.cutKind() == NetworkFaults.Cut.CLOSE) break;
                            tainted = true;
                            continue;
                        }
                    }
                    output.write(buffer, 0, n);
                    output.flush();
                }
            } catch (SocketException | InterruptedException gone) {
                // the other pump or close() closed the sockets
            } catch (IOException e) {
                // a reset: the connection is over
            } finally {
                closeQuietly(caller);
                closeQuietly(upstream);
                open.remove(caller);
                open.remove(upstream);
            }
        }
    }

    private static void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) closeQuietly(socket);
    }
}
