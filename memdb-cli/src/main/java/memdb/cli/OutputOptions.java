package memdb.cli;

import picocli.CommandLine.Option;

/**
 * How a command prints its result: {@code --json} here, {@code -o/--output} in {@link FormatOptions}
 * (log-compact, whose --output names a directory, takes {@code -o} alone). Flags win over MEMDB_OUTPUT,
 * which wins over auto.
 */
class OutputOptions {
    /** Set by --json and by -o json, so that a command that only asks "JSON or not?" reads one field. */
    @Option(names = "--json", description = "The same as -o json.")
    boolean json;

    OutputFormat output;

    void output(OutputFormat format) {
        output = format;
        if (format == OutputFormat.JSON) json = true;
    }

    /** The format asked for, with auto resolved by whether stdout is a terminal. */
    OutputFormat format(Io io) {
        if (json && output != null && output != OutputFormat.JSON) {
            throw new UserError(ExitCode.USAGE, "--json and -o " + output + " cannot be combined");
        }
        OutputFormat asked = output != null ? output : json ? OutputFormat.JSON : fromEnvironment(io);
        if (asked == OutputFormat.AUTO) asked = io.ttys().out() ? OutputFormat.TEXT : OutputFormat.RAW;
        return asked;
    }

    private static OutputFormat fromEnvironment(Io io) {
        String value = io.env("MEMDB_OUTPUT");
        if (value == null) return OutputFormat.AUTO;
        for (OutputFormat format : OutputFormat.values()) {
            if (format.toString().equalsIgnoreCase(value.trim())) return format;
        }
        throw new UserError(ExitCode.USAGE, "MEMDB_OUTPUT=" + value + " is not one of auto, text, table, json, raw");
    }
}
