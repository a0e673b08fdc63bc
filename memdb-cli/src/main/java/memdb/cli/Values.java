package memdb.cli;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import memdb.protocol.Utf8;

/**
 * Values shown to people and to JSON: a terminal never receives a raw control byte (an escape sequence in
 * a value could rewrite the screen), and JSON never receives bytes that are not UTF-8.
 */
final class Values {
    private Values() {}

    /** The value as a string if it is valid UTF-8. */
    static Optional<String> utf8(byte[] value) {
        return Utf8.decode(value);
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

    /**
     * The bytes as unambiguous text for a terminal column (log-dump's KEY): each printable character of valid
     * UTF-8 as itself, a backslash as {@code \\}, and every other byte (not valid UTF-8, or a byte of a control,
     * format or separator character) as {@code \xNN}. Each {@code \xNN} is one byte, so the bytes can be read
     * back exactly: {@code ff 00 41 5c} shows as {@code \xff\x00A\\}.
     */
    static String escaped(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; ) {
            int length = sequenceLength(bytes, i);
            String character = length == 0 ? null : new String(bytes, i, length, StandardCharsets.UTF_8);
            if (character != null && character.equals("\\")) {
                out.append("\\\\");
            } else if (character != null && visible(character.codePointAt(0))) {
                out.append(character);
            } else {
                for (int j = i; j < i + Math.max(1, length); j++) out.append(hex(bytes[j] & 0xFF));
            }
            i += Math.max(1, length);
        }
        return out.toString();
    }

    /** The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: no overlongs, no surrogates), or 0. */
    private static int sequenceLength(byte[] bytes, int i) {
        int lead = bytes[i] & 0xFF;
        int length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
        if (length == 0 || i + length > bytes.length) return 0;
        if (length == 1) return 1;
        int second = bytes[i + 1] & 0xFF;
        int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
        if (second < low || second > high) return 0;
        for (int j = i + 2; j < i + length; j++) if ((bytes[j] & 0xC0) != 0x80) return 0;
        return length;
    }

    private static boolean visible(int codePoint) {
        if (codePoint == ' ') return true;
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE -> false;
            default -> true;
        };
    }

    private static String hex(int c) {
        return String.format(Locale.ROOT, "\\x%02x", c);
    }
}
