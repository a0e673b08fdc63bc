package memdb.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-wise, case-insensitive command lookup against the plain reference: upper-case the name, compare with the enum's names. */
class CommandSpecTest {
    /** The reference: what the lookup did before it worked on bytes (ASCII names only, so no locale's capitals get in). */
    private static CommandSpec reference(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return Arrays.stream(CommandSpec.values()).filter(spec -> spec.name().equals(upper)).findFirst().orElse(null);
    }

    private static CommandSpec lookup(String name) {
        return CommandSpec.byName(name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyNameIsFoundInEveryMixOfCase() {
        for (CommandSpec spec : CommandSpec.values()) {
            char[] name = spec.name().toCharArray();
            for (int mask = 0; mask < 1 << name.length; mask++) {
                char[] mixed = name.clone();
                for (int i = 0; i < mixed.length; i++) if ((mask >> i & 1) != 0) mixed[i] = Character.toLowerCase(mixed[i]);
                String text = new String(mixed);
                assertEquals(spec, lookup(text), text);
                assertEquals(reference(text), lookup(text), text);
            }
        }
    }

    /** Names one byte off a real one (every byte value at every place, a byte more or less) are nobody's. */
    @Test
    void nearMissesAreUnknownAsWithTheReference() {
        for (CommandSpec spec : CommandSpec.values()) {
            byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
            for (int at = 0; at < name.length; at++) {
                for (int b = 0; b < 256; b++) {
                    byte[] changed = name.clone();
                    changed[at] = (byte) b;
                    String asText = new String(changed, StandardCharsets.ISO_8859_1);
                    CommandSpec expected = b < 0x80 ? reference(asText) : null; // non-ASCII: never a name (Redis compares bytes)
                    assertEquals(expected, CommandSpec.byName(changed), spec + " with byte " + b + " at " + at);
                }
            }
            assertNull(CommandSpec.byName(Arrays.copyOf(name, name.length + 1)));
            assertNull(CommandSpec.byName(Arrays.copyOf(name, name.length - 1)));
        }
        assertNull(CommandSpec.byName(new byte[0]));
        assertNull(CommandSpec.byName(new byte[1000]));
    }

    @Test
    void randomAsciiWordsAgreeWithTheReference() {
        SplittableRandom random = new SplittableRandom(8);
        String letters = "getsdlxiucomnfaprhbyzGETSDLXIUCOMNFAPRHBYZ@[`{_";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder word = new StringBuilder();
            for (int i = random.nextInt(1, 9); i > 0; i--) word.append(letters.charAt(random.nextInt(letters.length())));
            assertEquals(reference(word.toString()), lookup(word.toString()), word.toString());
        }
    }
}
