package memdb.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * The {@code -o/--output} formats. {@code auto} is {@code text} when standard output is a terminal and
 * {@code raw} when it is piped or redirected; the others are what they say (docs/operations.md lists what
 * each command prints in each).
 */
enum OutputFormat {
    /** text on a terminal, raw otherwise. */
    AUTO,
    /** For a person: values escaped where not printable, results in words, tables with a header. */
    TEXT,
    /** Columns with a header line, one row per result. */
    TABLE,
    /** One JSON object per result on one line, plain UTF-8 strings. */
    JSON,
    /** For scripts: the bare result (a value byte for byte, OK, true/false), tab-separated rows. */
    RAW;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case names, for completion and the help text. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(OutputFormat::toString).iterator();
        }
    }
}
