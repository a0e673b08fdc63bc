package memdb.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A core loop that busy-polls ({@link BusyPoll}) is still a working Netty loop: a task handed over from another thread
 * while it polls or sleeps runs at once (no lost wake-up: Netty's own stall for one is a second), and a scheduled task
 * runs when due. 0 is the loop that sleeps at once; 10000 polls for 10 ms after each task.
 */
class IoTransportTest {
    private static final long PROMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    @ParameterizedTest
    @ValueSource(longs = {0, 50, 10_000})
    void tasksFromOtherThreadsAndTimersRunPromptlyWhetherTheLoopPollsOrSleeps(long busyPollMicros) throws Exception {
        EventLoopGroup group = IoTransport.detect().newGroup(1, "io-transport-test", busyPollMicros);
        try {
            EventLoop loop = group.next();
            for (int i = 0; i < 20; i++) {
                Thread.sleep(i % 4 * 5); // hand over while the loop polls (0-10 ms after its last task) and after it slept
                long submitted = System.nanoTime();
                CompletableFuture<Long> ran = new CompletableFuture<>();
                loop.execute(() -> ran.complete(System.nanoTime()));
                long latency = ran.get(5, TimeUnit.SECONDS) - submitted;
                assertTrue(latency < PROMPT_NANOS, "task " + i + " waited " + latency / 1_000_000 + " ms");
            }
            long scheduled = System.nanoTime();
            CompletableFuture<Long> due = new CompletableFuture<>();
            loop.schedule(() -> due.complete(System.nanoTime()), 30, TimeUnit.MILLISECONDS);
            long late = due.get(5, TimeUnit.SECONDS) - scheduled - TimeUnit.MILLISECONDS.toNanos(30);
            assertTrue(late >= 0 && late < PROMPT_NANOS, "the timer ran " + late / 1_000_000 + " ms late");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
