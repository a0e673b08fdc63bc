package memdb.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code cluster}, {@code config}, {@code counter}): given alone,
 * it is a usage error that names them ("a subcommand is needed: get or set").
 */
abstract class CommandGroup implements Runnable {
    @ParentCommand
    MemdbCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public final void run() {
        List<String> names = spec.subcommands().values().stream().map(CommandLine::getCommandName).distinct().toList();
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: " + UsageErrors.oneOf(names));
    }
}
