package memdb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code memdb join SEED}: runs a node that joins the cluster through SEED (a node's host:port). */
@Command(name = "join", description = {"Run a node (in the foreground) that joins the cluster through SEED.",
    ServerOptions.SETTINGS_HELP})
final class JoinCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Parameters(paramLabel = "SEED", description = "A node of the cluster, host:port (or a comma-separated list).")
    String seed;

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        return options.run(root.io(), seed);
    }
}
