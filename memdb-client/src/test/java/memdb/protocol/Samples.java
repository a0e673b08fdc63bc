package memdb.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import memdb.crdt.PnCounter;
import memdb.crdt.PnSlot;

/** Envelopes of every message type with the interesting field values, and helpers to turn them into bytes. */
final class Samples {
    static final Timestamp TS = new Timestamp(42, 7);
    static final Timestamp TS_MAX = new Timestamp(Long.MAX_VALUE, Timestamp.NODE_ID_MAX);
    static final byte[] EMPTY = new byte[0];
    static final byte[] ALL_BYTE_VALUES = allByteValues();
    static final Key UNICODE_KEY = Key.of("ключ/鍵/🔑/é");
    static final Key MAX_KEY = Key.wrap(repeat((byte) 'k', Key.BYTES_MAX));

    static final PnCounter COUNTER = PnCounter.of(TS, List.of(new PnSlot(1, 3, 10, 2, List.of(5L, -6L, 7L)),
            new PnSlot(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, List.of())));
    static final PnCounter FULL_SLOT_COUNTER = PnCounter.of(Timestamp.ZERO,
            List.of(new PnSlot(0, 40, 0, 7, java.util.Collections.nCopies(PnSlot.RECENT_OPERATIONS_MAX, Long.MIN_VALUE))));
    static final StateTransferMessages.AcceptorEntry ACCEPTOR_ENTRY = new StateTransferMessages.AcceptorEntry(UNICODE_KEY,
            TS_MAX, TS, new Timestamp(3, 1), ALL_BYTE_VALUES);
    static final StateTransferMessages.AcceptorEntry PROMISE_ENTRY = new StateTransferMessages.AcceptorEntry(MAX_KEY, TS,
            Timestamp.ZERO, Timestamp.ZERO, EMPTY);

    private Samples() {}

    /** Small frames (none over a few KiB): every request and response type, including an error per code. */
    static List<Envelope> all() {
        List<Envelope> all = new ArrayList<>(requests());
        all.addAll(responses());
        return all;
    }

    static List<Envelope> requests() {
        List<Envelope> list = new ArrayList<>();
        list.add(Envelope.request(1, 0, new Requests.Auth("secret-key".getBytes(StandardCharsets.UTF_8))));
        list.add(Envelope.request(2, 1, new Requests.Auth(EMPTY)));
        list.add(Envelope.request(3, 5, new Requests.Ping()));
        for (Consistency c : Consistency.values()) {
            list.add(Envelope.request(10 + c.ordinal(), 9, new Requests.Get(Key.of("user:1"), c)));
        }
        list.add(Envelope.request(20, 10, new Requests.Set(Key.of("k"), EMPTY, Consistency.DEFAULT)));
        list.add(Envelope.request(21, 11, new Requests.Set(Key.of("bin"), ALL_BYTE_VALUES, Consistency.ALL)));
        list.add(Envelope.request(22, 12, new Requests.Set(UNICODE_KEY, "värde".getBytes(StandardCharsets.UTF_8), Consistency.QUORUM)));
        list.add(Envelope.request(23, 13, new Requests.Set(MAX_KEY, new byte[] {0}, Consistency.ONE)));
        list.add(Envelope.request(24, 14, new Requests.Get(MAX_KEY, Consistency.DEFAULT)));
        list.add(Envelope.request(25, 15, new Requests.Delete(UNICODE_KEY, Consistency.QUORUM)));
        list.add(Envelope.request(26, 16, new Requests.Contains(Key.of("c"), Consistency.ONE)));
        // Request-id and lamport extremes: the id is a u32, the lamport a u64 below 2^63.
        list.add(Envelope.request(0, 0, new Requests.Ping()));
        list.add(Envelope.request(Integer.MAX_VALUE, Long.MAX_VALUE, new Requests.Ping()));
        list.add(Envelope.request(0xFFFF_FFFF, Long.MAX_VALUE, new Requests.Delete(Key.of("x"), Consistency.ALL)));
        list.add(Envelope.request(0x8000_0000, 1L << 62, new Requests.Contains(Key.of("y"), Consistency.DEFAULT)));
        Member member = new Member(3, "10.0.0.3", 10000, 1_700_000_000_000L, 17, Member.Status.NORMAL, true);
        Member left = new Member(Timestamp.NODE_ID_MAX, "[::1]", 65535, 0, 0, Member.Status.LEFT, false);
        list.add(Envelope.request(30, 20, new ClusterRequests.Gossip(List.of(member, left))));
        list.add(Envelope.request(31, 21, new ClusterRequests.Gossip(List.of())));
        list.add(Envelope.request(32, 22, new ClusterRequests.ReplicaWrite(UNICODE_KEY, false, TS, ALL_BYTE_VALUES)));
        list.add(Envelope.request(33, 23, new ClusterRequests.ReplicaWrite(Key.of("gone"), true, TS_MAX, EMPTY)));
        list.add(Envelope.request(34, 24, new ClusterRequests.ReplicaRead(MAX_KEY)));
        list.add(Envelope.request(35, 25, new ClusterRequests.ClusterInfo()));
        list.add(Envelope.request(36, 26, new ClusterRequests.Kill()));
        list.add(Envelope.request(37, 27, new ClusterRequests.NodeStats()));
        list.add(Envelope.request(40, 28, new CounterMessages.Add(Key.of("hits"), 1, 1, Consistency.DEFAULT)));
        list.add(Envelope.request(41, 28, new CounterMessages.Add(UNICODE_KEY, -1L, Long.MIN_VALUE, Consistency.ALL)));
        list.add(Envelope.request(42, 28, new CounterMessages.Add(MAX_KEY, Long.MAX_VALUE, Long.MAX_VALUE, Consistency.ONE)));
        list.add(Envelope.request(43, 29, new CounterMessages.Get(Key.of("hits"), Consistency.QUORUM)));
        list.add(Envelope.request(44, 29, new CounterMessages.Lead(Key.of("hits"), 7, -3, Consistency.QUORUM)));
        list.add(Envelope.request(45, 29, new CounterMessages.Merge(Key.of("hits"), COUNTER)));
        list.add(Envelope.request(46, 29, new CounterMessages.Merge(UNICODE_KEY, PnCounter.EMPTY)));
        list.add(Envelope.request(47, 29, new CounterMessages.Read(MAX_KEY)));
        list.add(Envelope.request(48, 28, new ClusterRequests.Hints(List.of(
                new ClusterRequests.ReplicaWrite(UNICODE_KEY, false, TS, ALL_BYTE_VALUES),
                new ClusterRequests.ReplicaWrite(Key.of("gone"), true, TS_MAX, EMPTY)))));
        list.add(Envelope.request(49, 29, new ClusterRequests.Hints(List.of())));
        list.add(Envelope.request(50, 28, new StreamMessages.StreamPull(Long.MIN_VALUE, Long.MAX_VALUE, Key.wrap(EMPTY), 1)));
        list.add(Envelope.request(51, 29, new StreamMessages.StreamPull(5, -5, UNICODE_KEY, Integer.MAX_VALUE)));
        list.add(Envelope.request(52, 30, new StreamMessages.StreamPush(List.of(
                new ClusterRequests.ReplicaWrite(UNICODE_KEY, false, TS, ALL_BYTE_VALUES),
                new ClusterRequests.ReplicaWrite(Key.of("gone"), true, TS_MAX, EMPTY)))));
        list.add(Envelope.request(53, 31, new StreamMessages.StreamPush(List.of())));
        list.add(Envelope.request(54, 32, new StreamMessages.Leave()));
        list.add(Envelope.request(70, 28, new PaxosMessages.Cas(Key.of("locked"), "false".getBytes(StandardCharsets.UTF_8),
                "true".getBytes(StandardCharsets.UTF_8))));
        list.add(Envelope.request(71, 29, new PaxosMessages.Cas(UNICODE_KEY, null, ALL_BYTE_VALUES)));
        list.add(Envelope.request(72, 30, new PaxosMessages.Cas(MAX_KEY, EMPTY, EMPTY)));
        list.add(Envelope.request(73, 31, new PaxosMessages.SerialGet(Key.of("locked"))));
        list.add(Envelope.request(74, 32, new PaxosMessages.Prepare(UNICODE_KEY, TS_MAX)));
        list.add(Envelope.request(75, 33, new PaxosMessages.Propose(Key.of("p"), TS_MAX, TS, ALL_BYTE_VALUES)));
        list.add(Envelope.request(76, 34, new PaxosMessages.Commit(Key.of("p"), TS, TS_MAX, EMPTY)));
        list.add(Envelope.request(55, 33, new RepairMessages.Digest(Long.MIN_VALUE, Long.MAX_VALUE, 0, List.of(0))));
        list.add(Envelope.request(56, 34, new RepairMessages.Digest(-5, 7, 1, List.of(0, 3, RepairMessages.FANOUT - 1))));
        list.add(Envelope.request(57, 35, new RepairMessages.Fetch(1, 1, List.of(0, RepairMessages.LEAVES - 1))));
        list.add(Envelope.request(58, 36, new RepairMessages.Fetch(9, -9, List.of())));
        list.add(Envelope.request(59, 37, new RepairMessages.Push(List.of(
                new RepairMessages.Entry(UNICODE_KEY, Responses.Value.present(TS, ALL_BYTE_VALUES)),
                new RepairMessages.Entry(MAX_KEY, Responses.Value.tombstone(TS_MAX))))));
        list.add(Envelope.request(60, 38, new RepairMessages.Push(List.of())));
        list.add(Envelope.request(61, 39, new RepairMessages.Run()));
        list.add(Envelope.request(62, 40, new StateTransferMessages.PaxosStatePull(Long.MIN_VALUE, Long.MAX_VALUE, Key.wrap(EMPTY))));
        list.add(Envelope.request(63, 41, new StateTransferMessages.PaxosStatePull(5, -5, UNICODE_KEY)));
        list.add(Envelope.request(64, 42, new StateTransferMessages.PaxosStatePush(List.of(ACCEPTOR_ENTRY, PROMISE_ENTRY))));
        list.add(Envelope.request(65, 43, new StateTransferMessages.PaxosStatePush(List.of())));
        list.add(Envelope.request(66, 44, new StateTransferMessages.CounterDigest(7, 7)));
        list.add(Envelope.request(67, 45, new StateTransferMessages.CounterFetch(-9, 9, MAX_KEY)));
        return list;
    }

    static List<Envelope> responses() {
        List<Envelope> list = new ArrayList<>();
        list.add(Envelope.response(Opcode.AUTH, 1, 100, new Responses.Authenticated(1, "0.1.0")));
        list.add(Envelope.response(Opcode.AUTH, 1, 100, new Responses.Authenticated(Timestamp.NODE_ID_MAX, "")));
        list.add(Envelope.response(Opcode.AUTH, 1, 100, new Responses.Authenticated(0, "βeta-🚀")));
        list.add(Envelope.response(Opcode.PING, 3, 101, new Responses.Ok()));
        list.add(Envelope.response(Opcode.GET, 10, 102, Responses.Value.ABSENT));
        list.add(Envelope.response(Opcode.GET, 11, 103, Responses.Value.present(TS, EMPTY)));
        list.add(Envelope.response(Opcode.GET, 12, 104, Responses.Value.present(TS_MAX, ALL_BYTE_VALUES)));
        list.add(Envelope.response(Opcode.GET, 13, 105, Responses.Value.tombstone(TS)));
        list.add(Envelope.response(Opcode.GET, 13, 105, Responses.Value.tombstone(Timestamp.ZERO)));
        for (int bits = 0; bits < 4; bits++) {
            Opcode op = bits % 2 == 0 ? Opcode.SET : Opcode.DELETE;
            list.add(Envelope.response(op, 20 + bits, 106, new Responses.Written(TS, (bits & 1) != 0, (bits & 2) != 0)));
        }
        list.add(Envelope.response(Opcode.CONTAINS, 26, 107, new Responses.Bool(true)));
        list.add(Envelope.response(Opcode.CONTAINS, 26, 107, new Responses.Bool(false)));
        Member member = new Member(2, "127.0.0.1", 10001, 5, 9, Member.Status.NORMAL, false);
        list.add(Envelope.response(Opcode.GOSSIP, 30, 108, new ClusterResponses.GossipAck(List.of(member))));
        list.add(Envelope.response(Opcode.REPLICA_WRITE, 32, 109, new ClusterResponses.ReplicaAck(true, false, TS)));
        list.add(Envelope.response(Opcode.REPLICA_WRITE, 33, 109, new ClusterResponses.ReplicaAck(false, true, TS_MAX)));
        list.add(Envelope.response(Opcode.REPLICA_READ, 34, 110, Responses.Value.tombstone(TS)));
        list.add(Envelope.response(Opcode.NODE_STATS, 37, 112, new ClusterResponses.Stats(123, 45)));
        list.add(Envelope.response(Opcode.HINTS, 38, 113, new ClusterResponses.HintsAck(2)));
        list.add(Envelope.response(Opcode.HINTS, 39, 113, new ClusterResponses.HintsAck(ClusterRequests.Hints.ENTRIES_MAX)));
        list.add(Envelope.response(Opcode.NODE_STATS, 37, 112, new ClusterResponses.Stats(123, 45, 100)));
        list.add(Envelope.response(Opcode.STREAM_PULL, 38, 113, new StreamMessages.StreamChunk(List.of(
                new ClusterRequests.ReplicaWrite(UNICODE_KEY, false, TS, ALL_BYTE_VALUES),
                new ClusterRequests.ReplicaWrite(Key.of("gone"), true, TS_MAX, EMPTY)), true)));
        list.add(Envelope.response(Opcode.STREAM_PULL, 39, 114, new StreamMessages.StreamChunk(List.of(), false)));
        list.add(Envelope.response(Opcode.STREAM_PUSH, 40, 115, new StreamMessages.StreamAck(0)));
        list.add(Envelope.response(Opcode.LEAVE, 41, 116, new Responses.Ok()));
        list.add(Envelope.response(Opcode.CLUSTER_INFO, 35, 111, new ClusterResponses.ClusterView(3, 128, 4, List.of(member))));
        list.add(Envelope.response(Opcode.COUNTER_ADD, 40, 113, new CounterMessages.State(COUNTER)));
        list.add(Envelope.response(Opcode.COUNTER_GET, 43, 113, new CounterMessages.State(PnCounter.EMPTY)));
        list.add(Envelope.response(Opcode.COUNTER_LEAD, 44, 113, new CounterMessages.State(FULL_SLOT_COUNTER)));
        list.add(Envelope.response(Opcode.COUNTER_MERGE, 45, 113, new CounterMessages.State(COUNTER)));
        list.add(Envelope.response(Opcode.COUNTER_READ, 47, 113, new CounterMessages.State(PnCounter.empty(TS_MAX))));
        list.add(Envelope.response(Opcode.REPAIR_DIGEST, 55, 118, new RepairMessages.Hashes(List.of(0L, -1L, Long.MIN_VALUE))));
        list.add(Envelope.response(Opcode.REPAIR_DIGEST, 56, 118, new RepairMessages.Hashes(List.of())));
        list.add(Envelope.response(Opcode.REPAIR_FETCH, 57, 119, new RepairMessages.Entries(2, List.of(
                new RepairMessages.Entry(Key.of("k"), Responses.Value.present(TS, EMPTY)),
                new RepairMessages.Entry(Key.of("gone"), Responses.Value.tombstone(TS))))));
        list.add(Envelope.response(Opcode.REPAIR_FETCH, 58, 119, new RepairMessages.Entries(0, List.of())));
        list.add(Envelope.response(Opcode.REPAIR_PUSH, 59, 120, new RepairMessages.Pushed(0)));
        list.add(Envelope.response(Opcode.REPAIR_PUSH, 59, 120, new RepairMessages.Pushed(Integer.MAX_VALUE)));
        list.add(Envelope.response(Opcode.REPAIR_RUN, 61, 121, new RepairMessages.Summary(true, 1, 2, 3, 4, 5, 6, 7, 8, Long.MAX_VALUE)));
        list.add(Envelope.response(Opcode.REPAIR_RUN, 61, 121, new RepairMessages.Summary(false, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        list.add(Envelope.response(Opcode.PAXOS_STATE_PULL, 62, 122, new StateTransferMessages.PaxosStateChunk(
                List.of(ACCEPTOR_ENTRY, PROMISE_ENTRY), true)));
        list.add(Envelope.response(Opcode.PAXOS_STATE_PULL, 63, 122, new StateTransferMessages.PaxosStateChunk(List.of(), false)));
        list.add(Envelope.response(Opcode.PAXOS_STATE_PUSH, 64, 123, new StreamMessages.StreamAck(2)));
        list.add(Envelope.response(Opcode.COUNTER_DIGEST, 66, 124, new StateTransferMessages.CounterHash(0, 0)));
        list.add(Envelope.response(Opcode.COUNTER_DIGEST, 66, 124, new StateTransferMessages.CounterHash(Integer.MAX_VALUE, -1)));
        list.add(Envelope.response(Opcode.COUNTER_FETCH, 67, 125, new StateTransferMessages.CounterChunk(List.of(
                new StateTransferMessages.CounterEntry(UNICODE_KEY, COUNTER),
                new StateTransferMessages.CounterEntry(MAX_KEY, PnCounter.EMPTY)), false)));
        list.add(Envelope.response(Opcode.COUNTER_FETCH, 67, 125, new StateTransferMessages.CounterChunk(List.of(), true)));
        Opcode[] opcodes = Opcode.values();
        for (ErrorCode code : ErrorCode.values()) {
            Opcode op = opcodes[code.ordinal() % opcodes.length];
            list.add(Envelope.response(op, 1000 + code.code(), 108, new Responses.Error(code, "the " + code + " sentence")));
        }
        list.add(Envelope.response(Opcode.GET, 2000, 109, new Responses.Error(ErrorCode.INTERNAL, "")));
        list.add(Envelope.response(Opcode.SET, 2001, 110, new Responses.Error(ErrorCode.STORAGE, "disque plein — ディスク")));
        list.add(Envelope.response(Opcode.CAS, 40, 113, new Responses.Bool(true)));
        list.add(Envelope.response(Opcode.CAS, 40, 113, new Responses.Bool(false)));
        list.add(Envelope.response(Opcode.SERIAL_GET, 43, 114, Responses.Value.present(TS, ALL_BYTE_VALUES)));
        list.add(Envelope.response(Opcode.PAXOS_PREPARE, 44, 115, PaxosMessages.Promise.refused(TS_MAX)));
        list.add(Envelope.response(Opcode.PAXOS_PREPARE, 44, 115, new PaxosMessages.Promise(true, TS_MAX, TS, TS,
                ALL_BYTE_VALUES, Responses.Value.tombstone(TS), Timestamp.ZERO)));
        list.add(Envelope.response(Opcode.PAXOS_PREPARE, 44, 115, new PaxosMessages.Promise(true, TS, Timestamp.ZERO,
                Timestamp.ZERO, EMPTY, Responses.Value.present(TS, EMPTY), TS_MAX)));
        list.add(Envelope.response(Opcode.PAXOS_PROPOSE, 45, 116, new PaxosMessages.Accepted(true, TS)));
        list.add(Envelope.response(Opcode.PAXOS_PROPOSE, 45, 116, new PaxosMessages.Accepted(false, TS_MAX)));
        list.add(Envelope.response(Opcode.PAXOS_COMMIT, 46, 117, new Responses.Ok()));
        list.add(Envelope.response(Opcode.GET, 0xFFFF_FFFF, Long.MAX_VALUE, Responses.Value.ABSENT));
        return list;
    }

    static byte[] encode(Envelope envelope) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encode(envelope, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] encodeAll(List<Envelope> envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope e : envelopes) out.writeBytes(encode(e));
        return out.toByteArray();
    }

    /** Decodes a whole frame (length prefix included) without Netty's pipeline; the prefix must match. */
    static Envelope decodeFrame(byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        long length = buf.readUnsignedInt();
        if (length != buf.readableBytes()) throw new AssertionError("length prefix " + length + " != " + buf.readableBytes());
        return FrameCodec.decode(buf);
    }

    /** Decodes a frame body (the bytes after the length prefix). */
    static Envelope decodeBody(byte[] body) {
        return FrameCodec.decode(Unpooled.wrappedBuffer(body));
    }

    static byte[] body(byte[] frame) {
        byte[] body = new byte[frame.length - FrameCodec.LENGTH_FIELD_BYTES];
        System.arraycopy(frame, FrameCodec.LENGTH_FIELD_BYTES, body, 0, body.length);
        return body;
    }

    static byte[] repeat(byte b, int count) {
        byte[] bytes = new byte[count];
        java.util.Arrays.fill(bytes, b);
        return bytes;
    }

    private static byte[] allByteValues() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < 256; i++) bytes[i] = (byte) i;
        return bytes;
    }

    /** A random valid envelope of any type; everything derives from {@code random}. */
    static Envelope random(Random random) {
        int requestId = random.nextInt();
        long lamport = random.nextBoolean() ? random.nextInt(1000) : random.nextLong() & Long.MAX_VALUE;
        Opcode opcode = Opcode.values()[random.nextInt(Opcode.values().length)];
        return switch (random.nextInt(3)) {
            case 0 -> Envelope.request(requestId, lamport, randomRequest(random, opcode));
            case 1 -> Envelope.response(opcode, requestId, lamport, randomResponse(random, opcode));
            default -> Envelope.response(opcode, requestId, lamport, new Responses.Error(
                    ErrorCode.values()[random.nextInt(ErrorCode.values().length)], randomText(random)));
        };
    }

    private static Request randomRequest(Random random, Opcode opcode) {
        Consistency c = Consistency.values()[random.nextInt(Consistency.values().length)];
        return switch (opcode) {
            case AUTH -> new Requests.Auth(randomBytes(random, 40));
            case PING -> new Requests.Ping();
            case GET -> new Requests.Get(randomKey(random), c);
            case SET -> new Requests.Set(randomKey(random), randomBytes(random, 300), c);
            case DELETE -> new Requests.Delete(randomKey(random), c);
            case CONTAINS -> new Requests.Contains(randomKey(random), c);
            case GOSSIP -> new ClusterRequests.Gossip(randomMembers(random));
            case REPLICA_WRITE -> randomReplicaWrite(random);
            case HINTS -> {
                List<ClusterRequests.ReplicaWrite> entries = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) entries.add(randomReplicaWrite(random));
                yield new ClusterRequests.Hints(entries);
            }
            case REPLICA_READ -> new ClusterRequests.ReplicaRead(randomKey(random));
            case CLUSTER_INFO -> new ClusterRequests.ClusterInfo();
            case NODE_STATS -> new ClusterRequests.NodeStats();
            case KILL -> new ClusterRequests.Kill();
            case COUNTER_ADD -> new CounterMessages.Add(randomKey(random), random.nextLong(), random.nextLong(), c);
            case COUNTER_GET -> new CounterMessages.Get(randomKey(random), c);
            case COUNTER_LEAD -> new CounterMessages.Lead(randomKey(random), random.nextLong(), random.nextLong(), c);
            case COUNTER_MERGE -> new CounterMessages.Merge(randomKey(random), randomCounter(random));
            case COUNTER_READ -> new CounterMessages.Read(randomKey(random));
            case STREAM_PULL -> new StreamMessages.StreamPull(random.nextLong(), random.nextLong(),
                    random.nextBoolean() ? Key.wrap(EMPTY) : randomKey(random), 1 + random.nextInt(1 << 20));
            case STREAM_PUSH -> new StreamMessages.StreamPush(randomEntries(random));
            case LEAVE -> new StreamMessages.Leave();
            case CAS -> new PaxosMessages.Cas(randomKey(random), random.nextBoolean() ? null : randomBytes(random, 50),
                    randomBytes(random, 300));
            case SERIAL_GET -> new PaxosMessages.SerialGet(randomKey(random));
            case PAXOS_PREPARE -> new PaxosMessages.Prepare(randomKey(random), randomTimestamp(random));
            case PAXOS_PROPOSE -> new PaxosMessages.Propose(randomKey(random), randomTimestamp(random),
                    randomTimestamp(random), randomBytes(random, 300));
            case PAXOS_COMMIT -> new PaxosMessages.Commit(randomKey(random), randomTimestamp(random), randomTimestamp(random),
                    randomBytes(random, 300));
            case REPAIR_DIGEST -> random.nextBoolean() ? new RepairMessages.Digest(random.nextLong(), random.nextLong(), 0, List.of(0))
                    : new RepairMessages.Digest(random.nextLong(), random.nextLong(), 1,
                            List.of(random.nextInt(RepairMessages.FANOUT), random.nextInt(RepairMessages.FANOUT)));
            case REPAIR_FETCH -> new RepairMessages.Fetch(random.nextLong(), random.nextLong(),
                    List.of(random.nextInt(RepairMessages.LEAVES)));
            case REPAIR_PUSH -> new RepairMessages.Push(randomRepairEntries(random));
            case REPAIR_RUN -> new RepairMessages.Run();
            case PAXOS_STATE_PULL -> new StateTransferMessages.PaxosStatePull(random.nextLong(), random.nextLong(),
                    random.nextBoolean() ? Key.wrap(EMPTY) : randomKey(random));
            case PAXOS_STATE_PUSH -> new StateTransferMessages.PaxosStatePush(randomAcceptorEntries(random));
            case COUNTER_DIGEST -> new StateTransferMessages.CounterDigest(random.nextLong(), random.nextLong());
            case COUNTER_FETCH -> new StateTransferMessages.CounterFetch(random.nextLong(), random.nextLong(),
                    random.nextBoolean() ? Key.wrap(EMPTY) : randomKey(random));
        };
    }

    private static Response randomResponse(Random random, Opcode opcode) {
        Timestamp ts = new Timestamp(random.nextInt(1 << 20), random.nextInt(Timestamp.NODE_ID_MAX + 1));
        return switch (opcode) {
            case AUTH -> new Responses.Authenticated(random.nextInt(Timestamp.NODE_ID_MAX + 1), randomText(random));
            case PING -> new Responses.Ok();
            case GET -> switch (random.nextInt(3)) {
                case 0 -> Responses.Value.ABSENT;
                case 1 -> Responses.Value.tombstone(ts);
                default -> Responses.Value.present(ts, randomBytes(random, 300));
            };
            case SET, DELETE -> new Responses.Written(ts, random.nextBoolean(), random.nextBoolean());
            case CONTAINS -> new Responses.Bool(random.nextBoolean());
            case GOSSIP -> new ClusterResponses.GossipAck(randomMembers(random));
            case REPLICA_WRITE -> new ClusterResponses.ReplicaAck(random.nextBoolean(), random.nextBoolean(), ts);
            case HINTS -> new ClusterResponses.HintsAck(random.nextInt(ClusterRequests.Hints.ENTRIES_MAX + 1));
            case REPLICA_READ -> random.nextBoolean() ? Responses.Value.tombstone(ts) : Responses.Value.present(ts, randomBytes(random, 300));
            case CLUSTER_INFO -> new ClusterResponses.ClusterView(1 + random.nextInt(255), 1 + random.nextInt(512),
                    random.nextLong() & Long.MAX_VALUE, randomMembers(random));
            case NODE_STATS -> new ClusterResponses.Stats(random.nextLong() & Long.MAX_VALUE, random.nextInt(1 << 30),
                    random.nextInt(102) - 1);
            case KILL, LEAVE, PAXOS_COMMIT -> new Responses.Ok();
            case STREAM_PULL -> new StreamMessages.StreamChunk(randomEntries(random), random.nextBoolean());
            case STREAM_PUSH, PAXOS_STATE_PUSH -> new StreamMessages.StreamAck(random.nextInt(5000));
            case PAXOS_STATE_PULL -> new StateTransferMessages.PaxosStateChunk(randomAcceptorEntries(random), random.nextBoolean());
            case COUNTER_DIGEST -> new StateTransferMessages.CounterHash(random.nextInt(1 << 20), random.nextLong());
            case COUNTER_FETCH -> {
                List<StateTransferMessages.CounterEntry> entries = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    entries.add(new StateTransferMessages.CounterEntry(randomKey(random), randomCounter(random)));
                }
                yield new StateTransferMessages.CounterChunk(entries, random.nextBoolean());
            }
            case COUNTER_ADD, COUNTER_GET, COUNTER_LEAD, COUNTER_MERGE, COUNTER_READ -> new CounterMessages.State(randomCounter(random));
            case CAS -> new Responses.Bool(random.nextBoolean());
            case SERIAL_GET -> random.nextBoolean() ? Responses.Value.ABSENT : Responses.Value.present(ts, randomBytes(random, 300));
            case PAXOS_PREPARE -> random.nextBoolean() ? PaxosMessages.Promise.refused(ts)
                    : new PaxosMessages.Promise(true, ts, randomTimestamp(random), randomTimestamp(random),
                            randomBytes(random, 300), random.nextBoolean() ? Responses.Value.ABSENT : Responses.Value.tombstone(ts),
                            randomTimestamp(random));
            case PAXOS_PROPOSE -> new PaxosMessages.Accepted(random.nextBoolean(), ts);
            case REPAIR_DIGEST -> new RepairMessages.Hashes(List.of(random.nextLong(), random.nextLong()));
            case REPAIR_FETCH -> new RepairMessages.Entries(random.nextInt(RepairMessages.LEAVES + 1), randomRepairEntries(random));
            case REPAIR_PUSH -> new RepairMessages.Pushed(random.nextInt(1 << 20));
            case REPAIR_RUN -> new RepairMessages.Summary(random.nextBoolean(), random.nextInt(1 << 20), random.nextInt(100),
                    random.nextInt(100), random.nextInt(100), random.nextInt(1 << 20), random.nextInt(1 << 20),
                    random.nextInt(1 << 20), random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE);
        };
    }

    static PnCounter randomCounter(Random random) {
        List<PnSlot> slots = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            List<Long> operations = new ArrayList<>();
            int operationCount = random.nextInt(PnSlot.RECENT_OPERATIONS_MAX + 1);
            for (int j = 0; j < operationCount; j++) operations.add(random.nextLong());
            slots.add(new PnSlot(random.nextLong(), random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE,
                    random.nextLong() & Long.MAX_VALUE, operations));
        }
        return PnCounter.of(random.nextBoolean() ? Timestamp.ZERO : randomTimestamp(random), slots);
    }

    private static ClusterRequests.ReplicaWrite randomReplicaWrite(Random random) {
        return random.nextBoolean()
                ? new ClusterRequests.ReplicaWrite(randomKey(random), true, randomTimestamp(random), EMPTY)
                : new ClusterRequests.ReplicaWrite(randomKey(random), false, randomTimestamp(random), randomBytes(random, 300));
    }

    static List<ClusterRequests.ReplicaWrite> randomEntries(Random random) {
        List<ClusterRequests.ReplicaWrite> entries = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            entries.add(random.nextBoolean()
                    ? new ClusterRequests.ReplicaWrite(randomKey(random), true, randomTimestamp(random), EMPTY)
                    : new ClusterRequests.ReplicaWrite(randomKey(random), false, randomTimestamp(random), randomBytes(random, 100)));
        }
        return entries;
    }

    static List<StateTransferMessages.AcceptorEntry> randomAcceptorEntries(Random random) {
        List<StateTransferMessages.AcceptorEntry> entries = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            entries.add(random.nextBoolean()
                    ? new StateTransferMessages.AcceptorEntry(randomKey(random), randomTimestamp(random), Timestamp.ZERO,
                            Timestamp.ZERO, EMPTY)
                    : new StateTransferMessages.AcceptorEntry(randomKey(random), randomTimestamp(random),
                            randomTimestamp(random), randomTimestamp(random), randomBytes(random, 100)));
        }
        return entries;
    }

    static List<RepairMessages.Entry> randomRepairEntries(Random random) {
        List<RepairMessages.Entry> entries = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            entries.add(new RepairMessages.Entry(randomKey(random), random.nextBoolean()
                    ? Responses.Value.tombstone(randomTimestamp(random))
                    : Responses.Value.present(randomTimestamp(random), randomBytes(random, 100))));
        }
        return entries;
    }

    static Timestamp randomTimestamp(Random random) {
        return new Timestamp(random.nextInt(1 << 20), random.nextInt(Timestamp.NODE_ID_MAX + 1));
    }

    static List<Member> randomMembers(Random random) {
        List<Member> members = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            members.add(new Member(1 + random.nextInt(Timestamp.NODE_ID_MAX), randomText(random), random.nextInt(65536),
                    random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE,
                    Member.Status.values()[random.nextInt(Member.Status.values().length)], random.nextBoolean()));
        }
        return members;
    }

    static Key randomKey(Random random) {
        return random.nextInt(10) == 0 ? UNICODE_KEY : Key.of(randomText(random) + random.nextInt(1000));
    }

    static byte[] randomBytes(Random random, int lengthMax) {
        byte[] bytes = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(lengthMax + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    static String randomText(Random random) {
        String[] parts = {"", "a", "key", "ü", "鍵", "🔑", ":", " ", "\n", "\0"};
        StringBuilder text = new StringBuilder();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) text.append(parts[random.nextInt(parts.length)]);
        return text.toString();
    }
}
