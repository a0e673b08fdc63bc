package memdb.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import memdb.node.Node;
import memdb.oplog.DirectoryLock;
import memdb.oplog.FileOpLog;
import memdb.oplog.FsyncPolicy;
import memdb.oplog.OpLog;
import memdb.oplog.OpLogOptions;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.protocol.Responses.ValueState;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The boot's order (memdb.node.NodePorts): the data directory's lock, the ports, the op log's replay, and only
 * then serving. A port in use is reported before the log is read (found by the session-8 walk: a node replayed
 * its whole log and only then said the port was taken), and a client that connects during the replay is
 * answered from the replayed data, never from a half-loaded store; a health check made then is answered once
 * the node serves.
 */
class NodeBootOrderTest {
    /** Enough records that the replay takes a while (a few hundred ms on a quiet machine). */
    private static final int RECORDS = 300_000;

    @TempDir
    Path dir;

    /**
     * A log damaged in its middle stops a boot once the replay reaches the damage; with a port in use the boot
     * must stop before, at the port, and leave the directory unlocked and the other ports free.
     */
    @ParameterizedTest
    @CsvSource({"port,''", "admin-port,' for the admin API'", "resp-port,' for RESP'"})
    void aPortInUseIsReportedBeforeTheLogIsRead(String setting, String purpose) throws IOException {
        writeLog(dir, 1_000);
        damageTheMiddle(dir);
        UncheckedIOException damaged = assertThrows(UncheckedIOException.class, () -> NodeServerTest.startNode(dir, Map.of()));
        assertFalse(damaged.getMessage().startsWith("cannot listen"), damaged.getMessage());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            UncheckedIOException refused = assertThrows(UncheckedIOException.class,
                    () -> NodeServerTest.startNode(dir, Map.of(setting, String.valueOf(port))));
            assertTrue(refused.getMessage().startsWith("cannot listen" + purpose + " on 127.0.0.1:" + port + ": "),
                    refused.getMessage());
        }
        try (DirectoryLock released = DirectoryLock.acquire(dir)) {
            assertTrue(Files.exists(dir.resolve("LOCK")));
        }
    }

    @Test
    void aClientThatConnectsDuringTheReplayIsAnsweredFromTheReplayedData() throws Exception {
        writeLog(dir, RECORDS);
        int port = freePort();
        int adminPort = freePort();
        AtomicBoolean replayed = new AtomicBoolean();
        Logger logger = Logger.getLogger(Node.class.getName());
        Handler watch = new Handler() {
            @Override public void publish(LogRecord record) {
                if (record.getMessage().startsWith("op log: replayed")) replayed.set(true);
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        logger.addHandler(watch);
        CompletableFuture<Node> booting = new CompletableFuture<>();
        Thread boot = new Thread(() -> {
            try {
                booting.complete(NodeServerTest.startNode(dir, Map.of("port", String.valueOf(port), "admin-port",
                        String.valueOf(adminPort))));
            } catch (RuntimeException e) {
                booting.completeExceptionally(e);
            }
        }, "boot");
        boot.start();
        try {
            WireClient client = connectWhileBooting(new InetSocketAddress("127.0.0.1", port), booting);
            int[] keys = {0, RECORDS / 2, RECORDS - 1};
            try (client; Socket admin = adminSocket(adminPort)) {
                client.setTimeoutMs(60_000);
                client.send(new Requests.Auth(NodeServerTest.KEY.getBytes(StandardCharsets.UTF_8)));
                for (int i : keys) client.send(new Requests.Get(Key.of("key-" + i), Consistency.ONE));
                boolean replayedWhenAsked = replayed.get();
                admin.setSoTimeout(60_000);
                admin.getOutputStream().write(("GET /v1/health HTTP/1.1\r\nHost: memdb\r\nAuthorization: Bearer " + NodeServerTest.KEY
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertTrue(client.receive().message() instanceof Responses.Authenticated);
                assertTrue(replayed.get(), "answered after the replay");
                for (int i : keys) {
                    Responses.Value read = (Responses.Value) client.receive().message();
                    assertEquals(ValueState.PRESENT, read.state(), "key-" + i);
                    assertArrayEquals(value(i), read.value());
                }
                String health = new String(admin.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 200", health, "a health check made during the replay is answered once the node serves");
                assertFalse(replayedWhenAsked, "the port accepted the connection and the requests only after the replay");
            }
        } finally {
            logger.removeHandler(watch);
            booting.get(60, TimeUnit.SECONDS).close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The admin port, bound a moment after the client port: connected with a few retries. */
    private static Socket adminSocket(int adminPort) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Socket("127.0.0.1", adminPort);
            } catch (IOException notYet) {
                if (attempt == 200) throw notYet;
                Thread.sleep(5);
            }
        }
    }

    /** Connects as soon as the port listens (bounded); fails if the boot ends first. */
    private static WireClient connectWhileBooting(InetSocketAddress address, CompletableFuture<Node> booting)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                return WireClient.connect(address);
            } catch (IOException notYet) {
                if (booting.isDone()) break;
                Thread.sleep(1);
            }
        }
        throw new AssertionError("no connection to " + address + " during the boot");
    }

    private static byte[] value(int i) {
        return ("value-" + i + "-".repeat(64)).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeLog(Path dir, int records) throws IOException {
        try (FileOpLog log = FileOpLog.open(dir, OpLogOptions.defaults().withFsync(FsyncPolicy.NO), new Store())) {
            for (int i = 0; i < records; i++) log.append(OpLog.Op.SET, Key.of("key-" + i), new Timestamp(i + 1, 1), value(i));
            log.commit(() -> { });
        }
    }

    /** Flips a byte in the middle of the (one) log segment: damage that is not a torn tail. */
    private static void damageTheMiddle(Path dir) throws IOException {
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("log-")).findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0xFF);
        }
    }
}
