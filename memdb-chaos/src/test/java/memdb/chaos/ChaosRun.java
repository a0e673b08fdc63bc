package memdb.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import memdb.client.MemDb;

/**
 * Runs rounds against a {@link ChaosCluster}: in each, clients drive the round's workloads while a
 * {@link Nemesis} injects the round's faults; then the nemesis stops, the cluster is healed (every node up
 * and seen up by all), the clients stop, and the checkers judge: each workload's final reads (at ALL, or
 * serial), then convergence of the replicas of every key written (within 10 s). Seeded: the run's seed
 * gives every round's nemesis and every client its own random.
 */
final class ChaosRun {
    /** Pause between two operations of one client: a few hundred operations per second in all, on 2 cores. */
    private static final long THINK_MS = 5;

    private final ChaosCluster cluster;
    private final long seed;
    private final int clientsPerWorkload;
    private final AtomicInteger clientEpoch = new AtomicInteger();
    private final List<MemDb> clients = new ArrayList<>();
    private MemDb client;
    private int clientOfEpoch = -1;

    ChaosRun(ChaosCluster cluster, long seed, int clientsPerWorkload) {
        this.cluster = cluster;
        this.seed = seed;
        this.clientsPerWorkload = clientsPerWorkload;
    }

    /** The clients' shared client, built afresh after every node restarted (an outage ends their sessions). */
    private synchronized MemDb client() {
        if (clientOfEpoch != clientEpoch.get()) {
            clientOfEpoch = clientEpoch.get();
            client = cluster.client();
            clients.add(client);
        }
        return client;
    }

    /** The workloads of round {@code number}, given the round's key prefix. */
    RoundResult round(int number, List<Fault> faults, Duration length, Function<String, List<Workload>> workloadsFor)
            throws Exception {
        return round(number, faults, length, Duration.ofSeconds(1), workloadsFor);
    }

    /** As above, the clients going on for {@code afterHealing} once the cluster is healed. */
    RoundResult round(int number, List<Fault> faults, Duration length, Duration afterHealing,
                      Function<String, List<Workload>> workloadsFor) throws Exception {
        List<Workload> workloads = workloadsFor.apply("s" + seed + "-r" + number);
        Nemesis nemesis = new Nemesis(cluster, faults, seed * 31 + number, clientEpoch);
        ConcurrentLinkedQueue<String> harnessErrors = new ConcurrentLinkedQueue<>();
        AtomicInteger running = new AtomicInteger(1);
        List<Thread> threads = new ArrayList<>();
        int process = 0;
        for (Workload workload : workloads) {
            for (int c = 0; c < clientsPerWorkload; c++) {
                int id = process++;
                Random random = new Random(seed * 1_000_003 + number * 1009L + id);
                threads.add(start("client-" + workload.name() + "-" + id, () -> {
                    while (running.get() == 1) {
                        workload.step(client(), id, random);
                        Thread.sleep(THINK_MS);
                    }
                }, harnessErrors));
            }
        }
        long deadline = System.nanoTime() + length.toNanos();
        Thread nemesisThread = start("nemesis", () -> nemesis.run(deadline), harnessErrors);
        nemesisThread.join(length.toMillis() + 120_000);
        nemesis.stop();
        nemesisThread.join(60_000);
        cluster.heal();
        if (!cluster.awaitAllUp(Duration.ofSeconds(60))) harnessErrors.add("the cluster did not come back up within 60 s of healing");
        Thread.sleep(afterHealing.toMillis());
        running.set(0);
        for (Thread thread : threads) thread.join(Outcome.WAIT.toMillis() * 3);
        for (Thread thread : threads) if (thread.isAlive()) harnessErrors.add(thread.getName() + " did not stop");
        List<Verdict> verdicts = new ArrayList<>();
        List<String> convergenceKeys = new ArrayList<>();
        try (MemDb checker = cluster.client()) {
            for (Workload workload : workloads) {
                verdicts.addAll(workload.check(checker));
                convergenceKeys.addAll(workload.convergenceKeys());
            }
        }
        verdicts.add(new Convergence(cluster.node(1).server.adminAddress()).check(convergenceKeys));
        if (!harnessErrors.isEmpty()) verdicts.add(new Verdict("harness", 0, 0, List.copyOf(harnessErrors)));
        return new RoundResult(number, faults, length, nemesis.strikes, nemesis.killCycles, nemesis.forcedRecoveries, verdicts);
    }

    /** A task that may throw, for a thread. */
    interface Task {
        void run() throws Exception;
    }

    private static Thread start(String name, Task task, ConcurrentLinkedQueue<String> errors) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | Error e) {
                errors.add(name + " failed: " + e);
                e.printStackTrace();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Closes the clients this run built. */
    void close() {
        for (MemDb c : clients) c.close();
    }

    /** The run's seed: {@code -Dmemdb.chaos.seed=N} (the pom passes -Dchaos.seed) or a fresh one; printed. */
    static long seed() {
        String given = System.getProperty("memdb.chaos.seed", "");
        long seed = given.isBlank() ? new Random().nextLong() : Long.parseLong(given.strip());
        System.out.println("chaos seed: " + seed + " (rerun with -Dchaos.seed=" + seed + ")");
        return seed;
    }
}
