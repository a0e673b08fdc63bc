/**
 * The deterministic simulator (DESIGN §2, STYLE §11; issue 4 item 6): the real {@code NodeCore} of 3 to 5
 * nodes, wired to a simulated network, disk and clock, driven by one seed.
 *
 * <p>Parts: {@link memdb.sim.EventQueue} (simulated time: events by time, then scheduling order);
 * {@link memdb.sim.SimNetwork} (delay, reorder, drop, duplicate, one-way link cuts, peer failures);
 * {@link memdb.sim.SimNode} (one process: steps of the core whose outbox leaves only after its records
 * are durable, ticks, crash and restart from the log) over {@link memdb.sim.SimOpLog} (group commit with
 * a slow fsync; a crash loses the non-durable tail); {@link memdb.sim.Workload} (clients, one request at a
 * time, unique values) recording a {@link memdb.sim.History}; {@link memdb.sim.Nemesis} (crashes, power
 * cuts, partitions); {@link memdb.sim.Checkers}; {@link memdb.sim.Simulation} (the phases of a run);
 * {@link memdb.sim.Trace} (hash and tail of everything that happened).
 *
 * <p>Determinism: one {@code java.util.Random(seed)} feeds the run's shape ({@link memdb.sim.SimConfig}),
 * the network, the nemesis, the clients and each node's own random source; maps that are iterated are
 * ordered; nothing reads the wall clock. {@code SimulationTest.aSeedReplaysToTheSameTrace} checks it.
 *
 * <p>Replay a seed: {@code mvn -B -o -q -pl memdb-client,memdb-daemon test -Dtest='memdb.sim.**'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmemdb.sim.seed=123}; a failing seed also writes its full
 * trace to {@code memdb-daemon/target/sim-seed-123.trace}. More seeds: {@code -Dmemdb.sim.seeds=5000}
 * (and {@code -Dmemdb.sim.firstSeed=...}). {@code -Dmemdb.sim.clusterLog=false} restarts nodes without
 * their durable cluster log (a canary for the checkers); {@code -Dmemdb.sim.durableClock=true} models a
 * clock that restarts where it was (see {@code Simulation.Options}).
 *
 * <p>CAS (docs/cas.md): {@code CasSimulationTest} runs the same seeds with the CAS and serial-read workload
 * ({@code Options.withCasWorkload}) and checks each key's history with {@link memdb.sim.CasChecker} (the
 * linearizability checker of {@code memdb.linearizability}); replay with {@code -Dtest=CasSimulationTest
 * -Dmemdb.sim.seed=N}.
 *
 * <p>Bug canaries (memdb.node.Canaries, docs/reliability.md): {@code Options.withCanaries} plants known bugs in
 * every node of a run; {@code CanaryTest} shows the checkers catch each one, and pass the same run without it.
 */
package memdb.sim;
