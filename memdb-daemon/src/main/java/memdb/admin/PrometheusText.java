package memdb.admin;

/**
 * A writer of the Prometheus text exposition format, version 0.0.4: one HELP and TYPE comment per
 * metric family, then its samples as {@code name{label="value",...} number}, one a line. Label
 * values are escaped (backslash, double quote, newline); numbers are Go-parsable (NaN, +Inf, -Inf).
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family: {@code type} is counter, gauge, summary, histogram or untyped. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate name and value. */
    PrometheusText sample(String name, double value, String... labels) {
        if (labels.length % 2 != 0) throw new IllegalArgumentException("labels come in name/value pairs");
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) out.append(',');
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        return appendNumber(value);
    }

    /** A family with a single unlabelled sample. */
    PrometheusText single(String name, String type, String help, double value) {
        return family(name, type, help).sample(name, value);
    }

    private PrometheusText appendNumber(double value) {
        out.append(' ');
        if (Double.isNaN(value)) out.append("NaN");
        else if (Double.isInfinite(value)) out.append(value > 0 ? "+Inf" : "-Inf");
        else if (value == Math.rint(value) && Math.abs(value) < 1e15) out.append((long) value);
        else out.append(value);
        out.append('\n');
        return this;
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    String text() {
        return out.toString();
    }
}
