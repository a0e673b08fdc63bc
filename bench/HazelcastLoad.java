import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Hazelcast side of bench/compare-hazelcast.sh: the load of {@code memdb bench} through a Hazelcast
 * client (single-file program: {@code java -cp hazelcast-5.7.0.jar bench/HazelcastLoad.java OPTIONS}).
 *
 * <pre>
 * --members H:P,...   members to connect to (smart client: requests go to the partition owner)
 * --cluster NAME      cluster name;  --expect N: wait (60 s at most) until N members are in the cluster
 * --map NAME          the IMap (bench/HazelcastMember.java: sync2, sync1async1)
 * -t set,get          tests, in order;  -n 100000 requests per test;  --warmup 20000 unmeasured requests first
 * -c 50               concurrent clients;  -r 100000 keyspace;  -d 3 value bytes;  --seed 1
 * --async             an async closed loop (setAsync/getAsync) instead of a blocking thread per client
 * --time-limit-s 300  the whole run; a test stopped by it is reported with "complete": false
 * </pre>
 * The shape of memdb bench: {@code -c} clients, each with one request in flight. By default a client is a
 * thread calling the blocking {@code set}/{@code get}, Hazelcast's best figure here: with {@code --async} a
 * client is a logical stream like memdb bench's ({@code setAsync}/{@code getAsync}, the answer sends the
 * next request), which on 2 cores runs at about 1/4 of that (Hazelcast runs the completion of a client
 * future on its default async executor, a new thread per completion when the common ForkJoinPool has fewer
 * than 2 threads; with a 2-thread common pool, still about 0.6x). The keys are {@code key:%012d}
 * drawn by client c from {@code SplittableRandom(seed * 1_000_003 + c)} among the keyspace (the same
 * key sequence memdb bench sends), the value is {@code -d} bytes of 'x'. Output: one JSON object in
 * memdb bench's --json shape ({@code {"config": {...}, "tests": [{"test", "requests", "errors",
 * "seconds", "ops_per_sec", "p50_ms", "p99_ms", "p999_ms", "max_ms", "complete"}]}}), latencies
 * exact (sorted), from just before the send to the completion.
 */
public final class HazelcastLoad {
    private final IMap<String, byte[]> map;
    private final Map<String, String> options;
    private final byte[] value;
    private final long deadlineNanos;

    private HazelcastLoad(IMap<String, byte[]> map, Map<String, String> options) {
        this.map = map;
        this.options = options;
        this.value = new byte[Integer.parseInt(options.get("-d"))];
        Arrays.fill(value, (byte) 'x');
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(options.get("--time-limit-s")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--cluster", "bench", "--map", "sync2", "--expect", "1",
                "-t", "set,get", "-n", "100000", "--warmup", "20000", "-c", "50", "-r", "100000", "-d", "3"));
        options.putAll(Map.of("--seed", "1", "--time-limit-s", "300"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--async")) options.put("--async", "true");
            else if (args[i].startsWith("-") && i + 1 < args.length) options.put(args[i], args[++i]);
            else throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        if (!options.containsKey("--members")) throw new IllegalArgumentException("--members H:P,... is required");
        System.setProperty("hazelcast.logging.type", "jdk");
        java.util.logging.Logger.getLogger("com.hazelcast").setLevel(java.util.logging.Level.WARNING);
        ClientConfig config = new ClientConfig().setClusterName(options.get("--cluster"));
        config.getNetworkConfig().setAddresses(Arrays.asList(options.get("--members").split(",")));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        try {
            int expect = Integer.parseInt(options.get("--expect"));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (client.getCluster().getMembers().size() < expect) {
                if (System.nanoTime() - waitUntil > 0) throw new IllegalStateException("fewer than " + expect + " members");
                Thread.sleep(100);
            }
            HazelcastLoad load = new HazelcastLoad(client.getMap(options.get("--map")), options);
            List<String> tests = new ArrayList<>();
            for (String test : options.get("-t").split(",")) {
                if (!test.equals("set") && !test.equals("get")) throw new IllegalArgumentException("tests: set, get");
                long warmup = Long.parseLong(options.get("--warmup"));
                if (warmup > 0) load.run(test, warmup);
                tests.add(load.run(test, Long.parseLong(options.get("-n"))));
            }
            System.out.println("{\"config\": {\"system\": \"hazelcast\", \"map\": \"" + options.get("--map") + "\", \"members\": \""
                    + options.get("--members") + "\", \"clients\": " + options.get("-c") + ", \"async\": "
                    + options.containsKey("--async") + ", \"requests\": " + options.get("-n") + ", \"warmup\": "
                    + options.get("--warmup") + ", \"keyspace\": " + options.get("-r") + ", \"value_bytes\": "
                    + options.get("-d") + "}, \"tests\": [" + String.join(", ", tests) + "]}");
        } finally {
            client.shutdown();
        }
    }

    /** One test of {@code requests} requests; its JSON object. */
    private String run(String test, long requests) throws InterruptedException {
        Run run = new Run(test, requests);
        long start = System.nanoTime();
        int clients = Integer.parseInt(options.get("-c"));
        long seed = Long.parseLong(options.get("--seed"));
        boolean async = options.containsKey("--async");
        for (int c = 0; c < clients; c++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + c);
            if (async) run.next(random);
            else new Thread(() -> run.blocking(random), "load-" + c).start();
        }
        boolean complete = run.finished.await(Math.max(0, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(10),
                TimeUnit.NANOSECONDS) && !run.stopped;
        double seconds = (System.nanoTime() - start) / 1e9;
        int answered = run.recorded.get();
        long[] latencies = Arrays.copyOf(run.latencyNanos, Math.min(answered, run.latencyNanos.length));
        Arrays.sort(latencies);
        return String.format(Locale.ROOT, "{\"test\": \"%s\", \"requests\": %d, \"errors\": %d, \"seconds\": %.3f, "
                        + "\"ops_per_sec\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f, \"max_ms\": %.3f, \"complete\": %b}",
                test, answered, run.errors.get(), seconds, answered / seconds, percentileMs(latencies, 50),
                percentileMs(latencies, 99), percentileMs(latencies, 99.9), percentileMs(latencies, 100), complete);
    }

    private static double percentileMs(long[] sorted, double percentile) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
    }

    /** The state of one test: requests sent and answered, latencies, the clients still running. */
    private final class Run {
        final String test;
        final long requests;
        final AtomicLong sent = new AtomicLong();
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicLong errors = new AtomicLong();
        final long[] latencyNanos;
        final CountDownLatch finished = new CountDownLatch(Integer.parseInt(options.get("-c")));
        volatile boolean stopped;

        Run(String test, long requests) {
            this.test = test;
            this.requests = requests;
            this.latencyNanos = new long[(int) requests];
        }

        /** The next key of a client, or null when it is done (all requests sent, or the deadline passed). */
        private String claim(SplittableRandom random) {
            if (System.nanoTime() - deadlineNanos > 0) stopped = true;
            if (stopped || sent.getAndIncrement() >= requests) {
                finished.countDown();
                return null;
            }
            return String.format("key:%012d", random.nextLong(Long.parseLong(options.get("-r"))));
        }

        private void record(long startNanos, Throwable failure) {
            long nanos = System.nanoTime() - startNanos;
            if (failure != null) errors.incrementAndGet();
            int slot = recorded.getAndIncrement();
            if (slot < latencyNanos.length) latencyNanos[slot] = nanos;
        }

        /**
         * Async closed loop: sends the client's next request from the completion of its previous one (an
         * answer already there when it is sent, e.g. a failure, loops here instead of recursing).
         */
        void next(SplittableRandom random) {
            for (String key = claim(random); key != null; key = claim(random)) {
                long start = System.nanoTime();
                // Hazelcast's stages are CompletableFutures (toCompletableFuture() would wrap this one in another).
                CompletableFuture<?> answer = (CompletableFuture<?>) (test.equals("set") ? map.setAsync(key, value) : map.getAsync(key));
                if (!answer.isDone()) {
                    // An explicit executor that runs the callback on the thread that completes the answer: Hazelcast's
                    // default one starts a thread per callback when the common ForkJoinPool has < 2 threads (2 cores).
                    answer.whenCompleteAsync((result, failure) -> {
                        record(start, failure);
                        next(random);
                    }, Runnable::run);
                    return;
                }
                record(start, answer.handle((result, failure) -> failure).getNow(null));
            }
        }

        /** One thread per client, each waiting for its answer. */
        void blocking(SplittableRandom random) {
            for (String key = claim(random); key != null; key = claim(random)) {
                long start = System.nanoTime();
                Throwable failure = null;
                try {
                    if (test.equals("set")) map.set(key, value);
                    else map.get(key);
                } catch (RuntimeException e) {
                    failure = e;
                }
                record(start, failure);
            }
        }
    }
}
