package memdb.oplog.format;

import java.util.function.Function;
import memdb.cluster.ClusterLog;
import memdb.crdt.PnCounter;
import memdb.oplog.OpLog.Op;
import memdb.protocol.MemDbException;

/**
 * Whether a record's value is the payload its op says (docs/oplog.md, "Record"): a COUNTER holds a
 * PN-counter, a COUNTER_SLOT a slot id of 8 bytes, a PAXOS_ACCEPT a ballot origin and the value, a HINT
 * a {@link HintPayload}, a CLUSTER record a member or a finished range. Pure; each check is the payload
 * owner's own decoder, so every reader (boot, compaction, dump) refuses exactly what the node cannot apply.
 *
 * <p>Rule: a frame whose CRC matches but whose payload is not its op's was written that way (a bug or a
 * newer format), so it is damage at that record's offset, never a torn write, and force-recover drops
 * it like any other damage instead of the node failing on it later with no file or offset.
 */
public final class RecordPayload {
    /** memdb.paxos.AcceptorStates#acceptRecord: the proposal's origin (lamport, node id) before the value. */
    static final int ACCEPT_ORIGIN_BYTES = Long.BYTES + Short.BYTES;
    static final int SLOT_ID_BYTES = Long.BYTES;

    private RecordPayload() {}

    /** Why {@code value} is not a payload of {@code op}, or null when it is one. */
    public static String defect(Op op, byte[] value) {
        Function<byte[], String> check = check(op);
        return check == null ? null : check.apply(value);
    }

    /**
     * {@link #defect(Op, byte[])} of a frame read in place: the value is copied out only for an op that
     * carries a payload, so the bulk of a log (SET and DELETE) is checked without a copy.
     */
    static String defect(Frame frame) {
        Function<byte[], String> check = check(frame.op());
        return check == null ? null : check.apply(frame.value());
    }

    /** The check of {@code op}'s payload, or null when its value is any bytes (SET, DELETE) or empty by format. */
    private static Function<byte[], String> check(Op op) {
        return switch (op) {
            case HINT -> HintPayload::defect;
            case COUNTER -> RecordPayload::counterDefect;
            case COUNTER_SLOT -> value -> value.length == SLOT_ID_BYTES ? null
                    : "COUNTER_SLOT record of " + value.length + " bytes, not 8";
            case PAXOS_ACCEPT -> value -> value.length >= ACCEPT_ORIGIN_BYTES ? null
                    : "PAXOS_ACCEPT record of " + value.length + " bytes, shorter than its ballot origin";
            case CLUSTER -> RecordPayload::clusterDefect;
            case SET, DELETE, CLOCK, PAXOS_PROMISE -> null;
        };
    }

    private static String counterDefect(byte[] value) {
        try {
            PnCounter.fromBytes(value);
            return null;
        } catch (MemDbException | IllegalArgumentException e) {
            return "COUNTER record that is not a counter: " + e.getMessage();
        }
    }

    private static String clusterDefect(byte[] value) {
        try {
            new ClusterLog.Restored().add(ClusterLog.rangeKey(0), 0, value);
            return null;
        } catch (IllegalArgumentException e) {
            return "CLUSTER record that the cluster log cannot read: " + e.getMessage();
        }
    }
}
