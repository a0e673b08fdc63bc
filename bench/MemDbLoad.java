import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;

/**
 * Loader for bench/oplog-vs-redis.sh (run as a single-file program, no build step:
 * {@code java -cp memdb-cli/target/memdb.jar bench/MemDbLoad.java ...}).
 *
 * <pre>
 * load HOST PORT AUTHKEY RECORDS THREADS WINDOW   SET key:%012d (16 bytes) = 100-byte value through a real node;
 *                                                  THREADS writers, each with up to WINDOW requests in flight
 *                                                  (1 writer x 1000 = pipelined bulk load; 64 x 1 = 64
 *                                                  concurrent blocking writers, which shows group commit)
 * resp RECORDS                                     the same SETs as RESP commands on stdout, for redis-cli --pipe
 * </pre>
 * The value of key i is a function of i only (100 characters drawn from 64 by SplittableRandom(i)), so
 * MemDB and Redis hold byte-identical data.
 */
public final class MemDbLoad {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    /** Keys are key:%012d (16 bytes) unless KEY_FORMAT says otherwise (memory-vs-redis.sh: key:%07d). */
    private static final String KEY_FORMAT = System.getenv().getOrDefault("KEY_FORMAT", "key:%012d");

    static String key(long i) {
        return String.format(KEY_FORMAT, i);
    }

    static byte[] value(long i) {
        SplittableRandom random = new SplittableRandom(i);
        byte[] v = new byte[100];
        for (int j = 0; j < v.length; j++) v[j] = ALPHABET[random.nextInt(64)];
        return v;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "resp" -> resp(Long.parseLong(args[1]));
            case "load" -> load(args[1], Integer.parseInt(args[2]), args[3], Long.parseLong(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("mode: load or resp");
        }
    }

    private static void resp(long records) throws Exception {
        OutputStream out = new BufferedOutputStream(System.out, 1 << 20);
        byte[] head = "*3\r\n$3\r\nSET\r\n$".getBytes(StandardCharsets.US_ASCII);
        byte[] mid = "\r\n$100\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        for (long i = 0; i < records; i++) {
            byte[] key = key(i).getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            out.write((key.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(key);
            out.write(mid);
            out.write(value(i));
            out.write(crlf);
        }
        out.flush();
    }

    private static void load(String host, int port, String authKey, long records, int threads, int window) throws Exception {
        AtomicLong next = new AtomicLong(1); // key 0 is the warm-up write below
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // 60-s request time-out: on a shared, loaded machine a node can take longer than the default 5 s to answer
        try (MemDb db = MemDbConnections.builder().authKey(authKey).node(host, port).requestTimeout(java.time.Duration.ofSeconds(60))
                .inFlightRequestsMax(Math.max(1024, threads * window)).queuedRequestsMax(1 << 20).build()) {
            db.set(key(0), value(0)); // connect and authenticate before the clock starts
            long start = System.nanoTime();
            Thread[] writers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                writers[t] = new Thread(() -> {
                    Semaphore permits = new Semaphore(window);
                    try {
                        for (long i; (i = next.getAndIncrement()) < records && failure.get() == null; ) {
                            permits.acquire();
                            db.setAsync(key(i), value(i)).whenComplete((ok, e) -> {
                                if (e != null) failure.compareAndSet(null, e);
                                permits.release();
                            });
                        }
                        permits.acquire(window); // wait for this writer's last answers
                    } catch (InterruptedException e) {
                        failure.compareAndSet(null, e);
                    }
                });
                writers[t].start();
            }
            for (Thread w : writers) w.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) throw new IllegalStateException("a write failed", failure.get());
            System.out.printf("load %d records, %d writers x %d in flight: %.2f s, %.0f records/s%n",
                    records, threads, window, seconds, (records - 1) / seconds);
        }
    }
}
