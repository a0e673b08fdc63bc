package memdb.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code memdb server} without the command tree. Building the whole tree (every command's annotations, by
 * reflection, and the classes they name) took about a quarter of the boot's main thread before the node
 * could start replaying its log (docs/oplog-benchmark.md, session 3). A command line that is {@code server}
 * followed by options that parse as {@link ServerOptions} alone runs the node straight away; anything else
 * ({@code --help}, {@code --version}, an unknown or repeated option, a stray word, another command) is left
 * to the tree, so its output, errors and exit codes stay the tree's own. The options and their run are the
 * same object either way: {@link ServerOptions}.
 */
final class ServerFastPath {
    private ServerFastPath() {}

    /** The parsed options of a plain {@code memdb server ...} line, or null when the full tree must handle it. */
    static ParseResult parse(String... args) {
        if (args.length == 0 || !args[0].equals("server")) return null;
        try {
            return new CommandLine(new ServerOptions()).parseArgs(Arrays.copyOfRange(args, 1, args.length));
        } catch (ParameterException e) {
            return null; // the tree reports it, with the usage of memdb server
        }
    }

    static ServerOptions options(ParseResult parsed) {
        return (ServerOptions) parsed.commandSpec().userObject();
    }
}
