package memdb.protocol;

/** A request; its opcode identifies it on the wire. */
public sealed interface Request extends Message
        permits Requests.Auth, Requests.Ping, Requests.Get, Requests.Set, Requests.Delete, Requests.Contains,
                ClusterRequests.Gossip, ClusterRequests.ReplicaWrite, ClusterRequests.ReplicaRead,
                ClusterRequests.ClusterInfo, ClusterRequests.NodeStats, ClusterRequests.Kill,
                CounterMessages.Add, CounterMessages.Get, CounterMessages.Lead, CounterMessages.Merge,
                CounterMessages.Read, ClusterRequests.Hints,
                StreamMessages.StreamPull, StreamMessages.StreamPush, StreamMessages.Leave,
                PaxosMessages.Cas, PaxosMessages.SerialGet, PaxosMessages.Prepare, PaxosMessages.Propose, PaxosMessages.Commit,
                RepairMessages.Digest, RepairMessages.Fetch, RepairMessages.Push, RepairMessages.Run,
                StateTransferMessages.PaxosStatePull, StateTransferMessages.PaxosStatePush,
                StateTransferMessages.CounterDigest, StateTransferMessages.CounterFetch {
    Opcode opcode();
}
