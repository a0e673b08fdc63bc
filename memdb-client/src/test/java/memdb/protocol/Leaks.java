package memdb.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes Netty's leak detector fail tests instead of only logging: a listener on the ByteBuf detector
 * collects every leak it reports, and {@link #assertNone()} forces a collection, lets the detector poll,
 * and fails if anything leaked. The build runs tests at -Dio.netty.leakDetection.level=paranoid, so every
 * leak-aware buffer is tracked; note that Netty never tracks unpooled heap buffers, which is why
 * {@link DecoderHarness.TrackingAllocator} wraps its buffers explicitly. (The harness also checks refCnt
 * of every buffer directly, which does not depend on the GC.) As a JUnit extension
 * ({@code @ExtendWith(Leaks.class)}) it installs the listener before a test class and asserts after it.
 */
final class Leaks implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> REPORTED = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNone();
    }

    static synchronized void install() {
        if (installed) return;
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            var detector = (ResourceLeakDetector<ByteBuf>) field.get(null);
            detector.setLeakListener((type, records) -> REPORTED.add(type + ": " + records));
            installed = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot hook Netty's leak detector", e);
        }
    }

    static void assertNone() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The detector polls its reference queue when the next buffer is tracked (unpooled heap buffers
            // are not tracked at all, direct ones are).
            for (int i = 0; i < 50; i++) Unpooled.directBuffer(1).release();
        }
        if (!REPORTED.isEmpty()) throw new AssertionError("Netty reported leaked buffers: " + REPORTED);
    }
}
