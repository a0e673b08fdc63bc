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

    /** The older rule, for commands not converted yet: "value" when valid UTF-8, else "value_base64". */
    static void putValue(Map<String, Object> fields, byte[] value) {
        Values.utf8(value).ifPresentOrElse(text -> fields.put("value", text),
                () -> fields.put("value_base64", Base64.getEncoder().encodeToString(value)));
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
