package memdb.node;

import java.util.ArrayList;
import java.util.List;
import memdb.protocol.Envelope;
import memdb.protocol.Opcode;
import memdb.protocol.Response;

/**
 * One connection's replies from one batch of the core loop, in order: what {@link Connection#send} is given.
 * A reply is its request's opcode and id and the response; every reply of a batch carries the same Lamport
 * time (the core's after the batch). No object per reply: the core loop hands out a view of its outbox's
 * arrays.
 *
 * <p>Lifetime: a batch given to {@code send} may be valid only during that call (the core loop's view is
 * reused by its next batch); a connection that keeps replies past the call (to write them on another thread)
 * keeps {@link #copy()}.
 */
public interface ReplyBatch {
    int size();

    Opcode opcode(int i);

    int requestId(int i);

    Response response(int i);

    /** The Lamport time stamped on every reply of the batch. */
    long lamport();

    /** Reply {@code i} as an envelope (made on each call; for tests and rare paths). */
    default Envelope envelope(int i) {
        return Envelope.response(opcode(i), requestId(i), lamport(), response(i));
    }

    /** The replies as envelopes, in order (made on each call; for tests and rare paths). */
    default List<Envelope> envelopes() {
        List<Envelope> all = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) all.add(envelope(i));
        return all;
    }

    /** The replies in a batch of their own, valid after the call that was given this one. */
    default ReplyBatch copy() {
        int n = size();
        Opcode[] opcodes = new Opcode[n];
        int[] requestIds = new int[n];
        Response[] responses = new Response[n];
        for (int i = 0; i < n; i++) {
            opcodes[i] = opcode(i);
            requestIds[i] = requestId(i);
            responses[i] = response(i);
        }
        return new Copy(opcodes, requestIds, responses, lamport());
    }

    /** One reply. */
    static ReplyBatch of(Opcode opcode, int requestId, long lamport, Response response) {
        return new Copy(new Opcode[] {opcode}, new int[] {requestId}, new Response[] {response}, lamport);
    }

    /** {@code replies} (responses of one Lamport time) as a batch of their own. */
    static ReplyBatch of(List<Envelope> replies) {
        int n = replies.size();
        Opcode[] opcodes = new Opcode[n];
        int[] requestIds = new int[n];
        Response[] responses = new Response[n];
        long lamport = n == 0 ? 0 : replies.get(0).lamport();
        for (int i = 0; i < n; i++) {
            Envelope reply = replies.get(i);
            if (!reply.isResponse() || reply.lamport() != lamport) {
                throw new IllegalArgumentException("a batch is of responses with one Lamport time: " + reply);
            }
            opcodes[i] = reply.opcode();
            requestIds[i] = reply.requestId();
            responses[i] = (Response) reply.message();
        }
        return new Copy(opcodes, requestIds, responses, lamport);
    }

    /** A batch that owns its arrays (the caller hands them over): valid for as long as it is kept. */
    record Copy(Opcode[] opcodes, int[] requestIds, Response[] responses, long lamport) implements ReplyBatch {
        public Copy {
            if (opcodes.length != requestIds.length || opcodes.length != responses.length) {
                throw new IllegalArgumentException("one opcode, request id and response per reply");
            }
        }

        @Override
        public int size() {
            return opcodes.length;
        }

        @Override
        public Opcode opcode(int i) {
            return opcodes[i];
        }

        @Override
        public int requestId(int i) {
            return requestIds[i];
        }

        @Override
        public Response response(int i) {
            return responses[i];
        }

        @Override
        public ReplyBatch copy() {
            return this;
        }
    }
}
