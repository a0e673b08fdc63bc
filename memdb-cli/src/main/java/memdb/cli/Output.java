package memdb.cli;

import java.io.PrintStream;

/**
 * The output layer of every command: the format asked for ({@code -o}, {@code --json}, MEMDB_OUTPUT,
 * auto), colour for people only ({@link Style}), and printing a {@link Reply} in that format. Results go
 * to stdout; failures in text, table and raw formats go to stderr as one sentence.
 */
final class Output {
    private final Io io;
    private final OutputFormat format;
    private final Style style;

    Output(Io io, OutputFormat format) {
        if (format == OutputFormat.AUTO) throw new IllegalArgumentException("resolve auto first");
        this.io = io;
        this.format = format;
        boolean forPeople = format == OutputFormat.TEXT || format == OutputFormat.TABLE;
        this.style = Style.forStream(forPeople && io.ttys().out(), io);
    }

    static Output of(CommonOptions options, Io io) {
        return new Output(io, options.format(io));
    }

    OutputFormat format() {
        return format;
    }

    boolean json() {
        return format == OutputFormat.JSON;
    }

    Style style() {
        return style;
    }

    /** Prints the reply in this format and returns its exit code. */
    int print(Reply reply) {
        if (format == OutputFormat.JSON) {
            line(Json.write(reply.jsonDocument()));
        } else if (reply.failure() != null) {
            error(io, reply.failure());
        } else {
            switch (format) {
                case RAW -> raw(reply.rawBytes(), reply.rawNewline());
                case TEXT -> line(reply.text());
                case TABLE -> text(reply.tableOrFields().aligned(style));
                case JSON, AUTO -> throw new IllegalStateException("handled above: " + format);
            }
        }
        return reply.exitCode();
    }

    /** A failure, one sentence on stderr after "memdb: ", in red when stderr is a terminal that takes colour. */
    static void error(Io io, String sentence) {
        io.err().println(Style.forStream(io.ttys().err(), io).red("memdb: " + sentence));
    }

    /** One line of text on stdout. */
    void line(String text) {
        text(text + "\n");
    }

    /** Text as it is (lines already ended) on stdout. */
    void text(String text) {
        PrintStream out = io.out();
        out.print(text);
        out.flush();
    }

    private void raw(byte[] bytes, boolean newline) {
        PrintStream out = io.out();
        out.write(bytes, 0, bytes.length);
        if (newline) out.print('\n');
        out.flush();
    }
}
