package memdb.chaos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against an echo server: it passes a client's and a node's bytes, knows a node by its source
 * address, refuses and closes across a partition, swallows bytes in a black hole (and closes that
 * connection once the link heals), and delays (everything, or one direction of one link; a chunk held when its
 * link is cut is dropped).
 */
class ProxyTest {
    private static final String TARGET_HOST = "127.0.0.41";
    private static final String NODE_2_HOST = "127.0.0.42";

    private final NetworkFaults faults = new NetworkFaults();
    private ServerSocket echo;
    /** Bytes the echo server received. */
    private final AtomicLong received = new AtomicLong();
    private Proxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 16, InetAddress.getByName(TARGET_HOST));
        Thread server = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (socket) {
                            byte[] buffer = new byte[1024];
                            for (int n = socket.getInputStream().read(buffer); n >= 0; n = socket.getInputStream().read(buffer)) {
                                received.addAndGet(n);
                                socket.getOutputStream().write(buffer, 0, n);
                            }
                        } catch (IOException ignored) {
                            // the test closed it
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
        proxy = new Proxy(1, new InetSocketAddress(TARGET_HOST, 0), (InetSocketAddress) echo.getLocalSocketAddress(),
                Map.of(InetAddress.getByName(TARGET_HOST), 1, InetAddress.getByName(NODE_2_HOST), 2), faults, 42);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(TARGET_HOST, proxy.port()), 2000);
        socket.setSoTimeout(3000);
        return socket;
    }

    private static byte[] roundTrip(Socket socket, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        return socket.getInputStream().readNBytes(sent.length);
    }

    @Test
    void passesClientsAndNodes() throws IOException {
        try (Socket client = connect("127.0.0.1"); Socket node = connect(NODE_2_HOST)) {
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), roundTrip(client, "hello"));
            assertArrayEquals("peer".getBytes(StandardCharsets.UTF_8), roundTrip(node, "peer"));
        }
    }

    @Test
    void aPartitionClosesTheNodesConnectionsButNotTheClients() throws Exception {
        try (Socket client = connect("127.0.0.1"); Socket node = connect(NODE_2_HOST)) {
            roundTrip(node, "before");
            faults.partition(List.of(1), List.of(2), NetworkFaults.Cut.CLOSE);
            assertArrayEquals("still".getBytes(StandardCharsets.UTF_8), roundTrip(client, "still"));
            assertEquals(-1, readWithin(node.getInputStream()), "the node's connection is closed");
            try (Socket again = connect(NODE_2_HOST)) {
                assertEquals(-1, readWithin(again.getInputStream()), "a new one is refused");
            }
            faults.heal();
            try (Socket healed = connect(NODE_2_HOST)) {
                assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), roundTrip(healed, "after"));
            }
        }
    }

    @Test
    void aBlackHoleSwallowsBytesThenClosesOnceHealed() throws Exception {
        try (Socket node = connect(NODE_2_HOST)) {
            faults.partition(List.of(2), List.of(1), NetworkFaults.Cut.BLACK_HOLE);
            node.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            node.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, () -> node.getInputStream().read(), "nothing comes back");
            faults.heal();
            node.setSoTimeout(3000);
            assertEquals(-1, readWithin(node.getInputStream()), "the connection that lost bytes is closed");
        }
    }

    @Test
    void aDelayHoldsEveryChunk() throws IOException {
        faults.delay(300);
        try (Socket node = connect(NODE_2_HOST)) {
            long started = System.nanoTime();
            roundTrip(node, "slow");
            assertTrue(System.nanoTime() - started >= 600_000_000L, "two hops of 300 ms each");
        }
    }

    @Test
    void aOneWayDelayHoldsOnlyThatDirection() throws IOException {
        faults.delay(2, 1, 600); // node 2's bytes to node 1 wait; the echo back (1 to 2) does not
        try (Socket node = connect(NODE_2_HOST); Socket client = connect("127.0.0.1")) {
            long started = System.nanoTime();
            roundTrip(node, "held");
            long took = System.nanoTime() - started;
            assertTrue(took >= 600_000_000L && took < 1_200_000_000L, "one hop of 600 ms, not two: " + took / 1_000_000 + " ms");
            started = System.nanoTime();
            roundTrip(client, "free");
            assertTrue(System.nanoTime() - started < 600_000_000L, "a client is not held");
        }
    }

    @Test
    void aChunkHeldWhenItsLinkIsCutIsDropped() throws Exception {
        faults.delay(2, 1, 600);
        try (Socket node = connect(NODE_2_HOST)) {
            node.getOutputStream().write("commit".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(200); // the chunk is held in the proxy now
            faults.partition(List.of(1), List.of(2), NetworkFaults.Cut.BLACK_HOLE);
            Thread.sleep(1_000); // well past the delay
            assertEquals(0, received.get(), "the held chunk never reached the node");
            faults.heal();
        }
    }

    private static int readWithin(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
