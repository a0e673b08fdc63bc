/**
 * The Java client of MemDB (DESIGN §7).
 *
 * <p>Public API: {@link memdb.client.MemDbConnections} opens a {@link memdb.client.MemDb}; quorum reads
 * return a {@link memdb.client.QuorumResponse} whose awaits give a {@link memdb.client.QuorumResult} of
 * {@link memdb.client.ReplicaResponse}s. Errors are the typed {@link memdb.protocol.MemDbException}s.
 *
 * <p>Inside, from the top down:
 * <ul>
 *   <li>{@code MemDbClient} turns every operation into one protocol request (one code path for sync,
 *       async, String and byte[] variants) and asks the {@code Router} which nodes to send it to;</li>
 *   <li>{@code Router} is the routing seam: {@code RingRouter} learns the cluster (CLUSTER_INFO),
 *       keeps it fresh and routes each key to its replicas using {@code RoutingTable}, the pure
 *       decision (the nodes' own {@link memdb.ring.Ring}); {@code SingleNodeRouter} sends everything to
 *       one node;</li>
 *   <li>{@code ConnectionPool} holds one {@code NodeConnection} per node address, shared by the data
 *       path and the router;</li>
 *   <li>{@code NodeConnection} is one pipelined, lazily connected, authenticated connection per node,
 *       owned by the event loop: request ids, in-flight and queue limits, timeouts, reconnects;</li>
 *   <li>{@code NettyTransport} owns the single-threaded event loop group (epoll or NIO) and the
 *       pipeline; {@code Failures} turns socket-level trouble into one-sentence MemDbExceptions;</li>
 *   <li>{@code ClientClock} keeps the highest Lamport time seen, which every request carries.</li>
 * </ul>
 *
 * <p>Threading: futures complete on the client's I/O thread; blocking calls made there throw
 * IllegalStateException instead of deadlocking. Nothing runs on the JDK's common pool.
 */
package memdb.client;
