package memdb.node;

import java.lang.System.Logger.Level;
import java.util.Locale;
import memdb.protocol.Opcode;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The slow-request log ({@code slow-request-ms}): one WARNING line per client request answered later than
 * the threshold, measured from its arrival at the core queue to the release of its reply (queueing,
 * replicas and the op-log commit included; pipelined requests that came in one read count from the first's
 * arrival). The line names the operation, the request id, the key's
 * length — never the key, which may be personal data — the time taken and the outcome:
 * {@code slow request: SET id 7, key 12 bytes, 153.2 ms, ok}.
 */
final class SlowRequestLog {
    /** The key length of a request without a key. */
    static final int NO_KEY = -1;
    private static final System.Logger LOG = System.getLogger(SlowRequestLog.class.getName());

    private SlowRequestLog() {}

    /** The length in bytes of the request's key, or {@link #NO_KEY}. */
    static int keyBytes(Request request) {
        if (request instanceof Requests.Get r) return r.key().length();
        if (request instanceof Requests.Set r) return r.key().length();
        if (request instanceof Requests.Delete r) return r.key().length();
        if (request instanceof Requests.Contains r) return r.key().length();
        return NO_KEY;
    }

    static String line(Opcode opcode, int requestId, int keyBytes, long latencyNanos, Response response) {
        String key = keyBytes == NO_KEY ? "" : ", key " + keyBytes + " bytes";
        String outcome = response instanceof Responses.Error e ? "error " + e.code() : "ok";
        return String.format(Locale.ROOT, "slow request: %s id %d%s, %.1f ms, %s", opcode, requestId, key,
                latencyNanos / 1e6, outcome);
    }

    static void log(Opcode opcode, int requestId, int keyBytes, long latencyNanos, Response response) {
        LOG.log(Level.WARNING, line(opcode, requestId, keyBytes, latencyNanos, response));
    }
}
