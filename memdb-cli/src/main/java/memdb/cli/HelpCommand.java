package memdb.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code memdb help [COMMAND [SUBCOMMAND]]}: the help of any command of the tree, subcommands too
 * ({@code help cluster status}, {@code help counter incr}), where picocli's own help command reads only the
 * first word and prints the group's help for the rest. An unknown name is a usage error like any other.
 */
@Command(name = "help", helpCommand = true,
        description = "Print the help of a command or subcommand: help get, help cluster status.")
final class HelpCommand implements IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", completionCandidates = Candidates.Commands.class, description = "The command, and its subcommand, to print the help of.")
    List<String> names = new ArrayList<>();

    private CommandLine self;
    private ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter outWriter, PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : names) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) throw new UnmatchedArgumentException(target, List.of(name));
            target = next;
        }
        target.usage(out, colors);
    }
}
