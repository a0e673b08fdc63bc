package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import memdb.protocol.Envelope;
import memdb.protocol.FrameCodec;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;

/** A blocking test client over a plain socket: frames out and in, no client library involved. */
final class WireClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextRequestId = 1;
    private long lamport;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static WireClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return new WireClient(socket);
    }

    static WireClient authenticated(InetSocketAddress address, String key) throws IOException {
        WireClient client = connect(address);
        client.call(new Requests.Auth(key.getBytes(StandardCharsets.UTF_8)));
        return client;
    }

    /** Sends a request with the next request id and returns that id. */
    int send(Request request) throws IOException {
        int requestId = nextRequestId++;
        send(Envelope.request(requestId, lamport, request));
        return requestId;
    }

    void send(Envelope envelope) throws IOException {
        sendRaw(encode(envelope));
    }

    /** The whole frame, length prefix included. */
    static byte[] encode(Envelope envelope) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            FrameCodec.encode(envelope, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Envelope receive() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        ByteBuf buffer = Unpooled.wrappedBuffer(body);
        try {
            Envelope envelope = FrameCodec.decode(buffer);
            lamport = Math.max(lamport, envelope.lamport());
            return envelope;
        } finally {
            buffer.release();
        }
    }

    /** Sends a request and returns its response, checking that the ids match. */
    Response call(Request request) throws IOException {
        int requestId = send(request);
        Envelope reply = receive();
        assertEquals(requestId, reply.requestId());
        return (Response) reply.message();
    }

    /** True when the server closes the connection (within the timeout); frames still in flight are skipped. */
    boolean closedByServer() throws IOException {
        return closedByServerWithin(TIMEOUT_MS);
    }

    /** True when the server closes the connection within {@code timeoutMs}. */
    boolean closedByServerWithin(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            while (true) receive();
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(TIMEOUT_MS);
        }
    }

    /** How long a receive may wait (5 s unless set). */
    void setTimeoutMs(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
    }

    void setLamport(long lamport) {
        this.lamport = lamport;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
