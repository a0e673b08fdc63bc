package memdb.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    private final AuthThrottle throttle = new AuthThrottle(100, 1_000, 60_000, 3);

    @Test
    void theDelayDoublesWithEachFailureUpToTheCap() {
        long[] expected = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], throttle.failed("10.0.0.1", i), "failure " + (i + 1));
        for (int i = 0; i < 100; i++) assertEquals(1_000, throttle.failed("10.0.0.1", 10 + i));
    }

    @Test
    void aWrongKeyIsAnsweredWellWithinAClientsDefaultTimeoutHoweverManyCameBefore() {
        AuthThrottle defaults = new AuthThrottle();
        long clientDefaultTimeoutMs = 5_000; // memdb-client's ClientConfig.REQUEST_TIMEOUT_DEFAULT, the CLI's --timeout-ms
        long longest = 0;
        for (int i = 0; i < 50; i++) longest = Math.max(longest, defaults.failed("10.0.0.9", i));
        assertEquals(AuthThrottle.DELAY_MS_MAX, longest, "the delay reaches its cap");
        assertTrue(longest * 2 <= clientDefaultTimeoutMs, "at most half the client's timeout: " + longest + " ms");
    }

    @Test
    void addressesAreCountedApart() {
        throttle.failed("10.0.0.1", 0);
        throttle.failed("10.0.0.1", 1);
        assertEquals(100, throttle.failed("10.0.0.2", 2));
        assertEquals(400, throttle.failed("10.0.0.1", 3));
    }

    @Test
    void aSuccessResetsTheAddress() {
        throttle.failed("10.0.0.1", 0);
        throttle.failed("10.0.0.1", 1);
        throttle.succeeded("10.0.0.1");
        assertEquals(0, throttle.failures("10.0.0.1", 2));
        assertEquals(100, throttle.failed("10.0.0.1", 2));
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        throttle.failed("10.0.0.1", 0);
        throttle.failed("10.0.0.1", 1_000);
        assertEquals(2, throttle.failures("10.0.0.1", 60_999));
        assertEquals(0, throttle.failures("10.0.0.1", 61_000));
        assertEquals(100, throttle.failed("10.0.0.1", 61_000), "counting starts again");
    }

    @Test
    void atMostAddressesMaxAreRememberedTheLongestUntouchedGoesFirst() {
        throttle.failed("a", 0);
        throttle.failed("b", 1);
        throttle.failed("c", 2);
        throttle.failed("a", 3);
        throttle.failed("d", 4);
        assertEquals(3, throttle.addresses());
        assertEquals(0, throttle.failures("b", 5), "b was untouched longest");
        assertEquals(2, throttle.failures("a", 5));
    }

    @Test
    void theAddressIsTheIpWithoutThePort() {
        assertEquals("127.0.0.1", AuthThrottle.addressOf(new InetSocketAddress("127.0.0.1", 4711)));
        assertEquals(AuthThrottle.addressOf(new InetSocketAddress("127.0.0.1", 1)),
                AuthThrottle.addressOf(new InetSocketAddress("127.0.0.1", 2)));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AuthThrottle(100, 50, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AuthThrottle(1, 2, 1, 0));
    }
}
