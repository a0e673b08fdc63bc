package memdb.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Values shown to people and to JSON: a terminal never receives a raw control byte (an escape sequence in
 * a value could rewrite the screen), and JSON never receives bytes that are not UTF-8.
 */
final class Values {
    private Values() {}

    /** The value as a string if it is valid UTF-8. */
    static Optional<String> utf8(byte[] value) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The bytes as text for a terminal: UTF-8 where valid, {@code \xNN} for every other byte and for
     * control characters; newlines and tabs kept as they are only when {@code keepLines}.
     */
    static String printable(byte[] value, boolean keepLines) {
        Optional<String> text = utf8(value);
        if (text.isPresent()) return printable(text.get(), keepLines);
        StringBuilder out = new StringBuilder();
        for (byte b : value) {
            int unsigned = b & 0xFF;
            if (unsigned < 0x80) out.append(printable(String.valueOf((char) unsigned), keepLines));
            else out.append(hex(unsigned));
        }
        return out.toString();
    }

    static String printable(String text, boolean keepLines) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
            boolean kept = keepLines && (c == '\n' || c == '\t');
            if (control && !kept) {
                if (out == null) out = new StringBuilder(text.substring(0, i));
                out.append(hex(c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static String hex(int c) {
        return String.format(Locale.ROOT, "\\x%02x", c);
    }
}
