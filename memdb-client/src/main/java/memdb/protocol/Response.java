package memdb.protocol;

/** A response; it travels with the opcode of the request it answers and the RESPONSE flag. */
public sealed interface Response extends Message
        permits Responses.Ok, Responses.Authenticated, Responses.Value, Responses.Written, Responses.Bool,
                Responses.Error, ClusterResponses.GossipAck, ClusterResponses.ReplicaAck, ClusterResponses.ClusterView,
                ClusterResponses.Stats, CounterMessages.State, ClusterResponses.HintsAck,
                StreamMessages.StreamChunk, StreamMessages.StreamAck, PaxosMessages.Promise, PaxosMessages.Accepted,
                RepairMessages.Hashes, RepairMessages.Entries, RepairMessages.Pushed, RepairMessages.Summary,
                StateTransferMessages.PaxosStateChunk, StateTransferMessages.CounterHash, StateTransferMessages.CounterChunk {
}
