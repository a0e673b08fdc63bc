package memdb.chaos;

import java.util.List;
import java.util.Random;
import memdb.client.MemDb;

/**
 * A client workload: clients call {@link #step} over and over (each client is a process of the history,
 * one operation at a time) while the nemesis works; once the cluster is healed and the clients have
 * stopped, {@link #check} reads the final state and judges the recorded history.
 */
interface Workload {
    String name();

    /** One operation by client {@code process}; records its invocation and outcome. */
    void step(MemDb client, int process, Random random) throws InterruptedException;

    /** The verdicts on everything recorded, after healing (final reads through {@code client}). */
    List<Verdict> check(MemDb client) throws InterruptedException;

    /** Keys whose replicas must agree once the cluster is healed (the convergence check). */
    List<String> convergenceKeys();
}
