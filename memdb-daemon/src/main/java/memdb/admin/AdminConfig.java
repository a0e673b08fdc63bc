package memdb.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The body of {@code PUT /v1/config/KEY}, and the errors of the config endpoints. */
final class AdminConfig {
    /** A value longer than this is refused before any parsing: no setting needs more (seeds of a big cluster fit). */
    static final int VALUE_CHARS_MAX = 4096;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private AdminConfig() {}

    /** The value of a body {@code {"value": "..."}}; a number or boolean is taken as its text. */
    static String valueOf(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            node = null;
        }
        JsonNode value = node == null ? null : node.get("value");
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw AdminException.badRequest("the body must be a JSON object {\"value\": \"...\"}");
        }
        String text = value.asText();
        if (text.length() > VALUE_CHARS_MAX) throw AdminException.badRequest("the value is longer than " + VALUE_CHARS_MAX + " characters");
        return text;
    }
}
