package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import memdb.node.Canaries.Canary;
import memdb.oplog.OpLog;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

class CanariesTest {
    @Test
    void offUnlessNamed() {
        assertEquals(Canaries.NONE, Canaries.parse(null));
        assertEquals(Canaries.NONE, Canaries.parse(" "));
        assertFalse(Canaries.parse("").any());
        for (Canary canary : Canary.values()) assertFalse(Canaries.NONE.has(canary));
    }

    @Test
    void aCommaListNamesExactlyThoseCanaries() {
        Canaries parsed = Canaries.parse("no-read-repair, ack-before-fsync,");
        assertEquals(Canaries.of(Canary.NO_READ_REPAIR, Canary.ACK_BEFORE_FSYNC), parsed);
        assertEquals("ack-before-fsync,no-read-repair", parsed.names());
        assertTrue(parsed.warning(3).contains("node 3") && parsed.warning(3).contains("-Dmemdb.canary=ack-before-fsync,no-read-repair"));
    }

    /** The names other harnesses use: they must not change. */
    @Test
    void theNamesAreStable() {
        List<String> names = new ArrayList<>();
        for (Canary canary : Canary.values()) names.add(canary.label());
        assertEquals(List.of("ack-before-fsync", "forget-promise", "no-clock-restore", "no-read-repair", "cas-false-skips-paxos"), names);
        assertEquals("memdb.canary", Canaries.PROPERTY);
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> Canaries.parse("no-read-repair,ack-before-fsnyc"));
        assertEquals("unknown bug canary 'ack-before-fsnyc' in -Dmemdb.canary; known: ack-before-fsync, forget-promise, "
                + "no-clock-restore, no-read-repair, cas-false-skips-paxos", e.getMessage());
    }

    /** ack-before-fsync's log: replies at once, records handed on in order only after the hold (or at close). */
    @Test
    void theAckBeforeFsyncLogHoldsRecordsAfterTheReplies() {
        List<String> real = new ArrayList<>();
        OpLog recording = new OpLog() {
            public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
                real.add("append " + key);
                return real.size();
            }

            public void commit(Runnable afterDurable) {
                real.add("commit");
                afterDurable.run();
            }

            public void close() {
                real.add("close");
            }
        };
        long[] now = {0};
        AckBeforeFsyncLog log = new AckBeforeFsyncLog(recording, () -> now[0]);
        List<String> replies = new ArrayList<>();
        log.append(OpLog.Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[1]);
        log.commit(() -> replies.add("a"));
        now[0] = AckBeforeFsyncLog.HOLD_MS - 1;
        log.append(OpLog.Op.SET, Key.of("b"), new Timestamp(2, 1), new byte[1]);
        log.commit(() -> replies.add("b"));
        assertEquals(List.of("a", "b"), replies);
        assertEquals(List.of(), real, "nothing written within the hold");
        now[0] = AckBeforeFsyncLog.HOLD_MS;
        log.commit(() -> replies.add("c"));
        assertEquals(List.of("append " + Key.of("a"), "append " + Key.of("b"), "commit"), real);
        log.append(OpLog.Op.SET, Key.of("d"), new Timestamp(3, 1), new byte[1]);
        log.close();
        assertEquals(List.of("append " + Key.of("a"), "append " + Key.of("b"), "commit", "append " + Key.of("d"), "commit", "close"),
                real);
    }
}
