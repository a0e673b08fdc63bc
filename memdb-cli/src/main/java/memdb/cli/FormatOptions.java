package memdb.cli;

import picocli.CommandLine.Option;

/** {@code -o/--output FORMAT} and {@code --json}: the output options of every command that prints a result. */
class FormatOptions extends OutputOptions {
    static final String DESCRIPTION = "auto, text, table, json or raw (env MEMDB_OUTPUT; default auto: text on a "
            + "terminal, raw when piped).";

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", completionCandidates = OutputFormat.Names.class,
            description = DESCRIPTION)
    @Override
    void output(OutputFormat format) {
        super.output(format);
    }
}
