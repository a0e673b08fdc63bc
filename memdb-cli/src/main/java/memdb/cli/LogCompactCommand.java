package memdb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import memdb.oplog.Compaction;
import memdb.oplog.CompactionReport;
import memdb.oplog.LogCorruptionException;
import memdb.oplog.LogLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb log-compact DIR}: rewrites a stopped node's op log keeping the newest record per key
 * (and live tombstones), LZ4-compressed unless {@code --no-compress}. Refuses (exit 3) while a server
 * holds the directory's lock.
 */
@Command(name = "log-compact", description = {"Compact a stopped node's op log offline (refuses a log in use).",
    "raw and text: a summary line, then a line per damaged range; json: the figures as one object; table: the figures."})
final class LogCompactCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Parameters(paramLabel = "DIR", description = "The node's data directory.")
    Path dir;

    @Option(names = "--output", paramLabel = "DIR", description = "Write the compacted log here instead of in place.")
    Path output;

    @Option(names = "--no-compress", description = "Write the snapshot without LZ4 compression.")
    boolean noCompress;

    @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
    boolean dryRun;

    @Mixin
    OutputOptions format;

    @Option(names = "-o", paramLabel = "FORMAT", completionCandidates = OutputFormat.Names.class,
            description = FormatOptions.DESCRIPTION + " (--output is the directory here).")
    void format(OutputFormat chosen) {
        format.output(chosen);
    }

    @Override
    public Integer call() throws IOException {
        Output printer = new Output(root.io(), format.format(root.io()));
        if (!Files.isDirectory(dir)) throw new UserError(ExitCode.USAGE, dir + " is not a directory");
        CompactionReport report;
        try {
            report = Compaction.offline(dir, output, !noCompress, dryRun);
        } catch (LogCorruptionException e) {
            throw LogDumpCommand.damaged(e, "start the node once with --force-recover (it keeps every good record and drops "
                    + "the damaged bytes), stop it, then compact");
        } catch (LogLockedException e) {
            throw new UserError(ExitCode.UNAVAILABLE, dir + " is in use by a running node (its LOCK is held); stop the node first");
        }
        if (report.snapshot() == null) {
            throw new UserError(ExitCode.USAGE, dir + " holds no op log to compact; is it a node's data directory (--data-dir)?");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dry_run", report.dryRun());
        fields.put("records_before", report.recordsBefore());
        fields.put("records_after", report.recordsAfter());
        fields.put("bytes_before", report.bytesBefore());
        fields.put("bytes_after", report.bytesAfter());
        fields.put("snapshot", report.snapshot().toString());
        fields.put("files_replaced", report.replaced().size());
        fields.put("damage", report.lines().subList(1, report.lines().size()));
        return printer.print(Reply.of(fields).raw(String.join("\n", report.lines())));
    }
}
