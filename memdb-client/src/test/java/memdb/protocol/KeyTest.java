package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Key limits (DESIGN §3) and Timestamp order. */
class KeyTest {
    @Test
    void limits() {
        assertSame(Samples.MAX_KEY, Samples.MAX_KEY.validate());
        assertSame(Samples.UNICODE_KEY, Samples.UNICODE_KEY.validate());
        var tooLong = assertThrows(InvalidArgumentException.class,
                () -> Key.wrap(Samples.repeat((byte) 'k', Key.BYTES_MAX + 1)).validate());
        assertEquals(ErrorCode.KEY_TOO_LONG, tooLong.code());
        var empty = assertThrows(InvalidArgumentException.class, () -> Key.of("").validate());
        assertEquals(ErrorCode.INVALID_ARGUMENT, empty.code());
        var notUtf8 = assertThrows(InvalidArgumentException.class, () -> Key.wrap(new byte[] {'a', (byte) 0xC3}).validate());
        assertEquals(ErrorCode.INVALID_ARGUMENT, notUtf8.code());
    }

    /** ASCII is checked eight bytes at a time, then byte by byte: a byte that is not UTF-8 is caught at any place. */
    @Test
    void aByteThatIsNotUtf8IsFoundAtAnyPlaceInTheKey() {
        for (int length = 1; length <= 25; length++) {
            byte[] ascii = Samples.repeat((byte) 'k', length);
            Key valid = Key.wrap(ascii);
            assertSame(valid, valid.validate(), "all ASCII, " + length + " bytes");
            for (int at = 0; at < length; at++) {
                byte[] bytes = ascii.clone();
                bytes[at] = (byte) 0xFF;
                var e = assertThrows(InvalidArgumentException.class, () -> Key.wrap(bytes).validate(),
                        length + " bytes, 0xFF at " + at);
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            }
        }
    }

    @Test
    void keysAreTheirBytes() {
        assertEquals(Key.of("é"), Key.wrap(new byte[] {(byte) 0xC3, (byte) 0xA9}));
        assertNotEquals(Key.of("Aa"), Key.of("BB"), "same String hash, different keys");
        assertTrue(Key.of("a").compareTo(Key.wrap(new byte[] {(byte) 0xFF})) < 0, "bytes compare unsigned");
    }

    @Test
    void timestampsOrderByLamportThenNode() {
        assertTrue(new Timestamp(2, 1).isAfter(new Timestamp(1, 9)));
        assertTrue(new Timestamp(2, 2).isAfter(new Timestamp(2, 1)));
        assertTrue(new Timestamp(0, 1).isAfter(Timestamp.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Timestamp(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Timestamp(1, 65536));
    }
}
