package memdb.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict UTF-8: bytes become text only when they are well-formed UTF-8 (a malformed or unmappable byte is
 * refused, never replaced by U+FFFD), so the text's UTF-8 encoding is exactly the bytes. One place for what
 * keys (DESIGN §3), the admin API's paths, the CLI's JSON and log-dump's output all check.
 */
public final class Utf8 {
    private Utf8() {}

    /** The bytes as text when they are well-formed UTF-8, else empty. */
    public static Optional<String> decode(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
