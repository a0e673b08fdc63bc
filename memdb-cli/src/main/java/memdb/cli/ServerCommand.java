package memdb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code memdb server}: runs a node in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "server", description = {"Run a MemDB node in the foreground (stops cleanly on SIGTERM or Ctrl-C).",
    ServerOptions.SETTINGS_HELP})
final class ServerCommand implements Callable<Integer> {
    @ParentCommand
    MemdbCommand root;

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        return options.run(root.io(), null);
    }
}
