package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Replies' wire forms; numbers are written as digits without a String, so they are checked against Long.toString. */
class RespReplyTest {
    private static String wire(RespReply reply) {
        ByteBuf out = Unpooled.buffer(1); // small: the writer must grow it
        try {
            reply.encode(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void integersAreWrittenAsLongToStringWritesThem() {
        List<Long> edges = List.of(0L, 1L, -1L, 9L, 10L, -10L, 99L, 100L, 999L, 1_000L, 9_999L, 10_000L, 99_999L, 100_000L, -99_999L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L);
        for (long value : edges) assertEquals(":" + value + "\r\n", wire(new RespReply.Integer(value)));
        SplittableRandom random = new SplittableRandom(8);
        for (int n = 0; n < 100_000; n++) {
            long value = random.nextLong() >> random.nextInt(64);
            assertEquals(":" + value + "\r\n", wire(new RespReply.Integer(value)));
        }
    }

    @Test
    void bulkStringsAndArraysCarryTheirLengths() {
        for (int length : new int[] {0, 1, 9, 10, 99, 100, 999, 1_000, 12_345, 99_999, 100_000}) {
            byte[] bytes = new byte[length];
            assertEquals("$" + length + "\r\n" + "\0".repeat(length) + "\r\n", wire(new RespReply.Bulk(bytes)));
        }
        assertEquals("*0\r\n", wire(RespReply.Array.of()));
        assertEquals("*2\r\n$1\r\na\r\n:-5\r\n", wire(RespReply.Array.of(RespReply.Bulk.of("a"), new RespReply.Integer(-5))));
        assertEquals("*12\r\n" + "$-1\r\n".repeat(12), wire(new RespReply.Array(java.util.Collections.nCopies(12, RespReply.NULL))));
        assertEquals("+OK\r\n-ERR x y\r\n", wire(RespReply.OK) + wire(RespReply.Error.err("x\ny")));
        assertEquals("+h\u00e9\r\n", new String(wire(new RespReply.SimpleString("h\u00e9")).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        assertEquals(new RespReply.SimpleString("OK"), RespReply.OK);
    }
}
