package memdb.client;

import java.util.function.BooleanSupplier;

/** Polls a condition that another thread makes true; fails the test if it stays false too long. */
final class Eventually {
    private static final long WAIT_MILLIS_MAX = 5_000;

    private Eventually() {}

    static void holds(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_MILLIS_MAX * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("still not true after " + WAIT_MILLIS_MAX + " ms: " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }

    /** A port on 127.0.0.1 that nobody listens on (bound, then released). */
    static int unusedPort() {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError("no free port", e);
        }
    }
}
