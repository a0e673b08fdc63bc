package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import memdb.crdt.PnCounter;

/**
 * The counter messages (opcodes 0x20-0x2F, docs/protocol.md §5.9): a client's increment and read, and the
 * node-to-node messages behind them (the coordinator hands an increment to one replica, the leader, which
 * adds it to its own slot and merges its slot into the other replicas). Every one is answered with
 * {@link State}: the counter as the answering node holds it.
 */
public final class CounterMessages {
    private CounterMessages() {}

    /**
     * Adds {@code delta} (any 64-bit value; negative decrements) to a counter. {@code operationId} is chosen
     * by the client once per logical increment and sent again on every retry, so that a retry is not
     * counted twice.
     */
    public record Add(Key key, long operationId, long delta, Consistency consistency) implements Request {
        public Add {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.COUNTER_ADD; }

        public void encode(ByteBuf out) { writeIncrement(out, key, operationId, delta, consistency); }

        static Add decode(ByteBuf in) { return readIncrement(in, Add::new); }
    }

    /** Reads a counter at a consistency level (the node merges the answers of that many replicas). */
    public record Get(Key key, Consistency consistency) implements Request {
        public Get {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.COUNTER_GET; }

        public void encode(ByteBuf out) { Shapes.writeTarget(out, consistency, key); }

        static Get decode(ByteBuf in) { return Shapes.readTarget(in, Get::new); }
    }

    /** Node to node: the coordinator asks a replica of the key to lead an increment (same fields as {@link Add}). */
    public record Lead(Key key, long operationId, long delta, Consistency consistency) implements Request {
        public Lead {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.COUNTER_LEAD; }

        public void encode(ByteBuf out) { writeIncrement(out, key, operationId, delta, consistency); }

        static Lead decode(ByteBuf in) { return readIncrement(in, Lead::new); }
    }

    /** Node to node: merge this (partial or whole) counter into the replica's (a leader's slot, read repair). */
    public record Merge(Key key, PnCounter counter) implements Request {
        public Merge {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(counter, "counter");
        }

        public Opcode opcode() { return Opcode.COUNTER_MERGE; }

        public void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            counter.encode(out);
        }

        static Merge decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            return new Merge(key, PnCounter.decode(in));
        }
    }

    /** Node to node: the replica's own counter for the key, not coordinated further. */
    public record Read(Key key) implements Request {
        public Read {
            Objects.requireNonNull(key, "key");
        }

        public Opcode opcode() { return Opcode.COUNTER_READ; }

        public void encode(ByteBuf out) { Wire.writeKey(out, key); }

        static Read decode(ByteBuf in) { return new Read(Wire.readKey(in)); }
    }

    /**
     * The answer to every counter request: the counter as the answering node holds (or merged) it; an
     * absent key is {@link PnCounter#EMPTY} (value 0). {@link #value()} is what a client shows.
     */
    public record State(PnCounter counter) implements Response {
        public State {
            Objects.requireNonNull(counter, "counter");
        }

        public long value() { return counter.value(); }

        public void encode(ByteBuf out) { counter.encode(out); }

        static State decode(ByteBuf in) { return new State(PnCounter.decode(in)); }
    }

    /** COUNTER_ADD and COUNTER_LEAD: {@code consistency, key, i64 operation id, i64 delta}. */
    @FunctionalInterface
    private interface IncrementFields<T> {
        T make(Key key, long operationId, long delta, Consistency consistency);
    }

    private static void writeIncrement(ByteBuf out, Key key, long operationId, long delta, Consistency consistency) {
        Shapes.writeTarget(out, consistency, key);
        out.writeLong(operationId);
        out.writeLong(delta);
    }

    private static <T> T readIncrement(ByteBuf in, IncrementFields<T> make) {
        return Shapes.readTarget(in, (key, consistency) -> {
            long operationId = Wire.readLong(in);
            return make.make(key, operationId, Wire.readLong(in), consistency);
        });
    }
}
