package memdb.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one command answers, in every output format at once; {@link Output#print} picks the one asked
 * for. Only the JSON fields are required: the table defaults to one row of them, raw to the text, and
 * the text to "name: value" lines. A command adopts the formats in a few lines:
 *
 * <pre>{@code
 * return output.print(Reply.fields("key", key, "value", n).raw(Long.toString(n)));
 * }</pre>
 */
final class Reply {
    private final Map<String, Object> fields;
    private Object json;
    private String text;
    private byte[] raw;
    private boolean rawNewline = true;
    private Table table;
    private String failure;
    private int exitCode = ExitCode.OK;

    private Reply(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** A reply whose JSON object has these fields, in this order. */
    static Reply of(Map<String, Object> fields) {
        return new Reply(new LinkedHashMap<>(fields));
    }

    /** {@code fields("key", k, "found", true)}: names and values in turn. */
    static Reply fields(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values come in pairs");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return new Reply(fields);
    }

    /** What {@code -o json} prints instead of the fields (an object read from a node, say). */
    Reply json(Object document) {
        this.json = document;
        return this;
    }

    /** What {@code -o text} prints (a newline is added). */
    Reply text(String humanText) {
        this.text = humanText;
        return this;
    }

    /** What {@code -o raw} prints (a newline is added); also the text, unless {@link #text} says otherwise. */
    Reply raw(String rawText) {
        return raw(rawText.getBytes(StandardCharsets.UTF_8));
    }

    Reply raw(byte[] bytes) {
        this.raw = bytes;
        return this;
    }

    /** {@code -o raw} prints the raw bytes alone, without the newline (a value redirected to a file). */
    Reply rawWithoutNewline() {
        this.rawNewline = false;
        return this;
    }

    boolean rawNewline() {
        return rawNewline;
    }

    /** What {@code -o table} prints. */
    Reply table(Table rows) {
        this.table = rows;
        return this;
    }

    /**
     * A failure to report in one sentence on stderr instead of a result in text, table and raw formats
     * (JSON still prints the fields on stdout, so that a script reads {@code "found": false}).
     */
    Reply failure(String sentence, int code) {
        this.failure = sentence;
        this.exitCode = code;
        return this;
    }

    Reply exitCode(int code) {
        this.exitCode = code;
        return this;
    }

    int exitCode() {
        return exitCode;
    }

    String failure() {
        return failure;
    }

    Object jsonDocument() {
        return json != null ? json : fields;
    }

    byte[] rawBytes() {
        return raw != null ? raw : textOrFields().getBytes(StandardCharsets.UTF_8);
    }

    String text() {
        if (text != null) return text;
        return raw != null ? Values.printable(raw, true) : textOrFields();
    }

    Table tableOrFields() {
        if (table != null) return table;
        List<String> header = new ArrayList<>();
        List<String> row = new ArrayList<>();
        fields.forEach((name, value) -> {
            header.add(name.toUpperCase(Locale.ROOT));
            row.add(value == null ? "-" : Values.printable(String.valueOf(value), false));
        });
        return Table.of(header).withRow(row);
    }

    private String textOrFields() {
        StringBuilder lines = new StringBuilder();
        fields.forEach((name, value) -> lines.append(lines.length() == 0 ? "" : "\n").append(name).append(": ")
                .append(value == null ? "-" : Values.printable(String.valueOf(value), true)));
        return lines.toString();
    }
}
