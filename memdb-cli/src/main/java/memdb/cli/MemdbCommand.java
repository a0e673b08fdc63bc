package memdb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root of the command tree: {@code memdb <command>}. The same tree serves the shell and the REPL. */
@Command(name = "memdb",
        scope = picocli.CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "MemDB: an in-memory, distributed, leaderless key-value store.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Not found, CAS mismatch, or contains is false.",
            "2:Usage error (bad option, bad key or value).",
            "3:Unavailable: no connection, quorum not reached, or timeout.",
            "4:Authentication refused.",
            "5:Server error.",
        },
        subcommands = {
            ServerCommand.class,
            JoinCommand.class,
            GetCommand.class,
            SetCommand.class,
            DeleteCommand.class,
            ContainsCommand.class,
            CounterCommand.class,
            CasCommand.class,
            ClusterCommand.class,
            ConfigCommand.class,
            BenchCommand.class,
            LogCompactCommand.class,
            LogDumpCommand.class,
            CertCommand.class,
            ReplCommand.class,
            HelpCommand.class,
        })
final class MemdbCommand implements Runnable {
    private final Io io;
    private final Session session;

    @Spec
    CommandSpec spec;

    MemdbCommand(Io io) {
        this(io, Session.oneShot());
    }

    MemdbCommand(Io io, Session session) {
        this.io = io;
        this.session = session;
    }

    Io io() {
        return io;
    }

    /** What outlives one command: the REPL's shared connection, or nothing in a one-shot run. */
    Session session() {
        return session;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed");
    }
}
