package memdb.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import memdb.protocol.Key;
import memdb.protocol.Member;

/**
 * The durable cluster log (DESIGN §5, issue 5 item 5): every membership change a node accepts — a member
 * seen for the first time, a restart (new generation), a join, a leave, a kill (DOWN), an address change
 * — is written as a CLUSTER record (op code 10) to the node's op log, in the same step that accepted it,
 * so it is durable before anything that depends on it leaves the node. A record's timestamp is a fresh
 * Lamport time of the node: the log's version, monotonic across restarts (the clock is durable), so the
 * compactor's "newest record per key" keeps each member's latest entry. The version of a member's record
 * itself is its (generation, heartbeat), which gossip compares; after a restart a node restores the
 * members it knew and gossip brings it every change it missed (newer versions win), which it logs in turn.
 *
 * <p>Also holds the progress of a join's streaming (issue 5 item 1), one record per finished range, so a
 * restarted joining node resumes with the ranges not yet done.
 *
 * <p>Record keys begin with 0xFF, which no UTF-8 key can: they never collide with a client's key.
 * Values begin with a format byte (1) and a kind ('M' member, 'R' range streamed).
 */
public final class ClusterLog {
    private static final byte FORMAT = 1;
    private static final byte MEMBER = 'M';
    private static final byte RANGE_DONE = 'R';

    /** What a replay found: the latest record of each member, and the ranges a join already streamed. */
    public static final class Restored {
        private final Map<Integer, Member> members = new TreeMap<>();
        private final List<Long> rangesDone = new ArrayList<>();
        private long version;

        public Collection<Member> members() {
            return members.values();
        }

        /** The end tokens of the ranges a join streamed completely (see {@link #rangeDone}). */
        public List<Long> rangesDone() {
            return rangesDone;
        }

        /** The highest log version replayed. */
        public long version() {
            return version;
        }

        /** Takes one replayed CLUSTER record (in log order); a damaged one is refused with an exception. */
        public void add(Key key, long version, byte[] value) {
            this.version = Math.max(this.version, version);
            ByteBuffer in = ByteBuffer.wrap(value);
            try {
                if (in.get() != FORMAT) throw new IllegalArgumentException("unknown cluster record format");
                byte kind = in.get();
                if (kind == MEMBER) {
                    Member m = readMember(in);
                    members.put(m.nodeId(), m);
                } else if (kind == RANGE_DONE) {
                    rangesDone.add(in.getLong());
                } else {
                    throw new IllegalArgumentException("unknown cluster record kind " + kind);
                }
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated cluster record " + key);
            }
        }
    }

    private ClusterLog() {}

    /** The record key of a member's entry. */
    public static Key memberKey(int nodeId) {
        return Key.wrap(new byte[] {(byte) 0xFF, MEMBER, (byte) (nodeId >>> 8), (byte) nodeId});
    }

    /** The record key of a finished range of a join, by its end token. */
    public static Key rangeKey(long endToken) {
        return Key.wrap(ByteBuffer.allocate(10).put((byte) 0xFF).put(RANGE_DONE).putLong(endToken).array());
    }

    /** The value of a member's entry. */
    public static byte[] member(Member m) {
        byte[] host = m.host().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + 2 + host.length + 4 + 8 + 8 + 1).put(FORMAT).put(MEMBER)
                .putShort((short) m.nodeId()).putShort((short) host.length).put(host).putInt(m.port())
                .putLong(m.generation()).putLong(m.heartbeat()).put((byte) m.status().ordinal()).array();
    }

    /** The value of a finished range. */
    public static byte[] rangeDone(long endToken) {
        return ByteBuffer.allocate(10).put(FORMAT).put(RANGE_DONE).putLong(endToken).array();
    }

    private static Member readMember(ByteBuffer in) {
        int nodeId = in.getShort() & 0xFFFF;
        byte[] host = new byte[in.getShort() & 0xFFFF];
        in.get(host);
        int port = in.getInt();
        long generation = in.getLong();
        long heartbeat = in.getLong();
        int status = in.get();
        if (status < 0 || status >= Member.Status.values().length) throw new IllegalArgumentException("unknown status " + status);
        return new Member(nodeId, new String(host, StandardCharsets.UTF_8), port, generation, heartbeat,
                Member.Status.values()[status], false);
    }
}
