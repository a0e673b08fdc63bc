package memdb.node;

import java.util.Locale;

/** Sizes in config values: a number of bytes, or a number with a unit k, m or g (1024-based), with or without a b. */
final class Sizes {
    private Sizes() {}

    /** The size in bytes, or -1 when the text is not a size (or overflows a long). */
    static long parseBytes(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        if (shift > 0) t = t.substring(0, t.length() - 1).strip();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 18) return -1;
        long number = Long.parseLong(t);
        if (number > (Long.MAX_VALUE >> shift)) return -1;
        return number << shift;
    }
}
