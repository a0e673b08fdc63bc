package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;

/**
 * The opcode space (docs/protocol.md §4). Ranges are reserved so that later message families have
 * room: 0x01-0x0F connection, 0x10-0x1F plain keys, 0x20-0x2F counters, 0x30-0x3F CAS and Paxos,
 * 0x40-0x5F cluster (gossip, replication, streaming), 0x60-0x6F administration; 0x00 is never
 * assigned and 0x70-0xFF are left to later versions. An assigned code never changes meaning.
 * Each opcode knows how to read its request and its (success) response payloads.
 */
public enum Opcode {
    AUTH(0x01, Requests.Auth::decode, Responses.Authenticated.class, Responses.Authenticated::decode),
    PING(0x02, Requests.Ping::decode, Responses.Ok.class, Responses.Ok::decode),
    GET(0x10, Requests.Get::decode, Responses.Value.class, Responses.Value::decode),
    SET(0x11, Requests.Set::decode, Responses.Written.class, Responses.Written::decode),
    DELETE(0x12, Requests.Delete::decode, Responses.Written.class, Responses.Written::decode),
    CONTAINS(0x13, Requests.Contains::decode, Responses.Bool.class, Responses.Bool::decode),
    COUNTER_ADD(0x20, CounterMessages.Add::decode, CounterMessages.State.class, CounterMessages.State::decode),
    COUNTER_GET(0x21, CounterMessages.Get::decode, CounterMessages.State.class, CounterMessages.State::decode),
    COUNTER_LEAD(0x22, CounterMessages.Lead::decode, CounterMessages.State.class, CounterMessages.State::decode),
    COUNTER_MERGE(0x23, CounterMessages.Merge::decode, CounterMessages.State.class, CounterMessages.State::decode),
    COUNTER_READ(0x24, CounterMessages.Read::decode, CounterMessages.State.class, CounterMessages.State::decode),
    CAS(0x30, PaxosMessages.Cas::decode, Responses.Bool.class, Responses.Bool::decode),
    SERIAL_GET(0x31, PaxosMessages.SerialGet::decode, Responses.Value.class, Responses.Value::decode),
    PAXOS_PREPARE(0x38, PaxosMessages.Prepare::decode, PaxosMessages.Promise.class, PaxosMessages.Promise::decode),
    PAXOS_PROPOSE(0x39, PaxosMessages.Propose::decode, PaxosMessages.Accepted.class, PaxosMessages.Accepted::decode),
    PAXOS_COMMIT(0x3A, PaxosMessages.Commit::decode, Responses.Ok.class, Responses.Ok::decode),
    GOSSIP(0x40, ClusterRequests.Gossip::decode, ClusterResponses.GossipAck.class, ClusterResponses.GossipAck::decode),
    REPLICA_WRITE(0x41, ClusterRequests.ReplicaWrite::decode, ClusterResponses.ReplicaAck.class,
            ClusterResponses.ReplicaAck::decode),
    REPLICA_READ(0x42, ClusterRequests.ReplicaRead::decode, Responses.Value.class, Responses.Value::decode),
    HINTS(0x43, ClusterRequests.Hints::decode, ClusterResponses.HintsAck.class, ClusterResponses.HintsAck::decode),
    STREAM_PULL(0x4A, StreamMessages.StreamPull::decode, StreamMessages.StreamChunk.class,
            StreamMessages.StreamChunk::decode),
    STREAM_PUSH(0x4B, StreamMessages.StreamPush::decode, StreamMessages.StreamAck.class, StreamMessages.StreamAck::decode),
    PAXOS_STATE_PULL(0x4C, StateTransferMessages.PaxosStatePull::decode, StateTransferMessages.PaxosStateChunk.class,
            StateTransferMessages.PaxosStateChunk::decode),
    PAXOS_STATE_PUSH(0x4D, StateTransferMessages.PaxosStatePush::decode, StreamMessages.StreamAck.class,
            StreamMessages.StreamAck::decode),
    COUNTER_DIGEST(0x4E, StateTransferMessages.CounterDigest::decode, StateTransferMessages.CounterHash.class,
            StateTransferMessages.CounterHash::decode),
    COUNTER_FETCH(0x4F, StateTransferMessages.CounterFetch::decode, StateTransferMessages.CounterChunk.class,
            StateTransferMessages.CounterChunk::decode),
    REPAIR_DIGEST(0x46, RepairMessages.Digest::decode, RepairMessages.Hashes.class, RepairMessages.Hashes::decode),
    REPAIR_FETCH(0x47, RepairMessages.Fetch::decode, RepairMessages.Entries.class, RepairMessages.Entries::decode),
    REPAIR_PUSH(0x48, RepairMessages.Push::decode, RepairMessages.Pushed.class, RepairMessages.Pushed::decode),
    REPAIR_RUN(0x49, RepairMessages.Run::decode, RepairMessages.Summary.class, RepairMessages.Summary::decode),
    CLUSTER_INFO(0x50, ClusterRequests.ClusterInfo::decode, ClusterResponses.ClusterView.class,
            ClusterResponses.ClusterView::decode),
    NODE_STATS(0x51, ClusterRequests.NodeStats::decode, ClusterResponses.Stats.class, ClusterResponses.Stats::decode),
    KILL(0x60, ClusterRequests.Kill::decode, Responses.Ok.class, Responses.Ok::decode),
    LEAVE(0x62, StreamMessages.Leave::decode, Responses.Ok.class, Responses.Ok::decode);

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode op : values()) BY_CODE[op.code] = op;
    }

    private final int code;
    private final Function<ByteBuf, ? extends Request> requestDecoder;
    private final Class<? extends Response> responseType;
    private final Function<ByteBuf, ? extends Response> responseDecoder;

    Opcode(int code, Function<ByteBuf, ? extends Request> requestDecoder, Class<? extends Response> responseType,
           Function<ByteBuf, ? extends Response> responseDecoder) {
        this.code = code;
        this.requestDecoder = requestDecoder;
        this.responseType = responseType;
        this.responseDecoder = responseDecoder;
    }

    public int code() {
        return code;
    }

    /** The opcode for a wire byte, or null when it is not one of ours. */
    public static Opcode fromWire(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The record a success response to this opcode carries (an error is always {@link Responses.Error}). */
    public Class<? extends Response> responseType() {
        return responseType;
    }

    Request decodeRequest(ByteBuf payload) {
        return requestDecoder.apply(payload);
    }

    Response decodeResponse(ByteBuf payload) {
        return responseDecoder.apply(payload);
    }
}
