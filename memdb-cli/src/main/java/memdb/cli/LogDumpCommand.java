package memdb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import memdb.oplog.LogCorruptionException;
import memdb.oplog.LogDump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb log-dump DIR}: prints every op-log record as a JSON line (keys and values losslessly:
 * memdb.oplog.LogDump#bytesField), or as columns, for inspection. Read-only.
 */
@Command(name = "log-dump", description = {"Print a node's op-log records (key, op, timestamp, sequence, value size).",
    "raw and json: one JSON object per line; a key (or value) that is UTF-8 is \"key\": its text, any other is"
        + " \"key_base64\": its bytes in base64. text and table: columns under a header, the key last, a byte that is not"
        + " printable UTF-8 as \\xNN and a backslash as \\\\."})
final class LogDumpCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Parameters(paramLabel = "DIR", description = "The node's data directory.")
    Path dir;

    @Option(names = "--force-recover", description = "Skip damaged records instead of stopping at the first.")
    boolean forceRecover;

    @Option(names = "--values", description = "Add each record's value (\"value\" or \"value_base64\"); JSON output only.")
    boolean values;

    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Mixin
    FormatOptions format;

    @Override
    public Integer call() throws IOException {
        Io io = root.io();
        Output output = new Output(io, format.format(io));
        if (!Files.isDirectory(dir)) throw new UserError(ExitCode.USAGE, dir + " is not a directory");
        boolean columns = output.format() == OutputFormat.TEXT || output.format() == OutputFormat.TABLE;
        if (values && columns) {
            throw new UserError(ExitCode.USAGE, "--values lists the values in JSON only: add -o json (text and table show each"
                    + " value's size)");
        }
        // Streamed, not buffered (a log can be large), so the columns have fixed widths (OP: the longest op name,
        // PAXOS_PROMISE) and the key comes last.
        if (columns) io.out().print(output.style().bold(row("SEQUENCE", "OP", "LAMPORT", "NODE", "BYTES", "WRITTEN", "FILE", "KEY")));
        try {
            LogDump.dump(dir, forceRecover, values, entry -> io.out().print(columns ? row(entry) : entry.toJson() + "\n"));
        } catch (LogCorruptionException e) {
            io.out().flush();
            throw damaged(e, "memdb log-dump --force-recover skips the damaged bytes");
        }
        io.out().flush();
        return ExitCode.OK;
    }

    /**
     * Damage in the middle of a log, with the remedy of the command that met it (the op log's own message
     * says to restart a node with --force-recover, which is not what log-dump or log-compact take).
     */
    static UserError damaged(LogCorruptionException e, String remedy) {
        return new UserError(ExitCode.SERVER_ERROR, "op log is damaged in " + e.file() + " at offset " + e.offset() + ": "
                + e.reason() + "; " + remedy);
    }

    static String row(LogDump.Entry entry) {
        return row(Long.toString(entry.sequence()), entry.op().toString(), Long.toString(entry.timestamp().lamport()),
                Integer.toString(entry.timestamp().nodeId()), Integer.toString(entry.valueBytes()),
                WRITTEN.format(Instant.ofEpochMilli(entry.wallMillis())), entry.file().getFileName().toString(),
                Values.escaped(entry.key().bytes()));
    }

    private static String row(String sequence, String op, String lamport, String node, String bytes, String written,
                              String file, String key) {
        return String.format(Locale.ROOT, "%10s  %-13s  %13s  %5s  %8s  %-24s  %-28s  %s%n",
                sequence, op, lamport, node, bytes, written, file, key);
    }
}
