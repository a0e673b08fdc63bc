package memdb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Map;

/**
 * JSON output of the commands: one object per line, plain UTF-8 strings. A value is "value" (a string)
 * when it is valid UTF-8; with {@code --base64} it is always "value_base64"; a value that is not UTF-8
 * without {@code --base64} is a usage error that says to add it (a script never gets a mangled string).
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String write(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The document as a Jackson tree (an object read from a node is one already). */
    static com.fasterxml.jackson.databind.JsonNode tree(Object document) {
        return MAPPER.valueToTree(document);
    }

    static void putValue(Map<String, Object> fields, String key, byte[] value, boolean base64) {
        if (base64) {
            fields.put("value_base64", Base64.getEncoder().encodeToString(value));
            return;
        }
        fields.put("value", Values.utf8(value).orElseThrow(() -> new UserError(ExitCode.USAGE,
                "the value of '" + key + "' is not valid UTF-8; add --base64 to get it as value_base64")));
    }
}
