package memdb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import memdb.oplog.LogDump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code memdb log-dump DIR}: prints every op-log record as a JSON line, for inspection. Read-only. */
@Command(name = "log-dump", description = "Print a node's op-log records as JSON lines (key, op, timestamp, sequence, value size).")
final class LogDumpCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Parameters(paramLabel = "DIR", description = "The node's data directory.")
    Path dir;

    @Option(names = "--force-recover", description = "Skip damaged records instead of stopping at the first.")
    boolean forceRecover;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) throw new UserError(ExitCode.USAGE, dir + " is not a directory");
        LogDump.dump(dir, forceRecover, entry -> root.io().out().println(entry.toJson()));
        root.io().out().flush();
        return ExitCode.OK;
    }
}
