package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import memdb.node.ConfigResolver;
import memdb.node.Node;
import memdb.node.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node with its RESP port on, over a real socket: the listener is wired to the node's core loop and op log. */
class RespServerTest {
    @TempDir
    Path dir;

    @Test
    void aNodeWithARespPortServesPipelinedCommandsThroughItsCore() throws IOException {
        int respPort = freePort();
        ServerConfig config = new ConfigResolver(null, dir.toString()).resolve(Map.of("port", "0", "admin-port", "0",
                "auth-key", "k3y", "data-dir", dir.toString(), "resp-port", Integer.toString(respPort)), Map.of(), null);
        try (Node node = Node.start(config); Socket socket = new Socket("127.0.0.1", respPort)) {
            assertEquals(respPort, node.respPort());
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("AUTH k3y\r\nSET k v1\r\nGET k\r\nDBSIZE\r\nQUIT\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("+OK\r\n+OK\r\n$2\r\nv1\r\n:1\r\n+OK\r\n", readToEnd(socket.getInputStream()));
        }
        try (Node restarted = Node.start(config); Socket socket = new Socket("127.0.0.1", respPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("AUTH k3y\r\nGET k\r\nQUIT\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("+OK\r\n$2\r\nv1\r\n+OK\r\n", readToEnd(socket.getInputStream()), "the SET went through the op log");
        }
    }

    @Test
    void theRespPortIsOffByDefault() {
        ServerConfig config = new ConfigResolver(null, dir.toString())
                .resolve(Map.of("port", "0", "admin-port", "0", "auth-key", "k3y", "data-dir", dir.toString()), Map.of(), null);
        try (Node node = Node.start(config)) {
            assertEquals(0, node.respPort());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
