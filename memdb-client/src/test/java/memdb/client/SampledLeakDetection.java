package memdb.client;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the high-volume test classes: the build runs every test under Netty's paranoid leak detector, which
 * records a stack trace at each buffer access; over tens of thousands of frames that alone would take
 * most of the suite's time budget. Sampling (SIMPLE) still reports a leak there, and every code path is
 * also exercised under paranoid detection by the other test classes. Restores the level afterwards.
 */
final class SampledLeakDetection implements BeforeAllCallback, AfterAllCallback {
    private ResourceLeakDetector.Level previous;

    @Override
    public void beforeAll(ExtensionContext context) {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(previous);
    }
}
