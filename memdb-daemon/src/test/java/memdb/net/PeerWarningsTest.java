package memdb.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerWarningsTest {
    @Test
    void aPeerIsWarnedAboutAtMostOncePerIntervalAndPeersApart() {
        PeerWarnings warnings = new PeerWarnings();
        assertTrue(warnings.due("10.0.0.1:10000", 1_000), "the first failure is said");
        assertFalse(warnings.due("10.0.0.1:10000", 1_000 + PeerWarnings.INTERVAL_MS - 1), "not again within the interval");
        assertTrue(warnings.due("10.0.0.2:10000", 1_001), "another peer is said on its own");
        assertTrue(warnings.due("10.0.0.1:10000", 1_000 + PeerWarnings.INTERVAL_MS), "said again once the interval passed");
        assertFalse(warnings.due("10.0.0.1:10000", 1_000 + PeerWarnings.INTERVAL_MS + 5), "counted from the last time said");
    }
}
