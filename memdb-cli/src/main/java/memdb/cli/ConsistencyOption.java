package memdb.cli;

import memdb.protocol.Consistency;
import picocli.CommandLine.Option;

/** The {@code --consistency} option of the commands that read or write one key (a picocli mixin). */
final class ConsistencyOption {
    @Option(names = "--consistency", paramLabel = "LEVEL", completionCandidates = Candidates.Consistencies.class,
            description = "ONE, QUORUM or ALL (default: the node's; writes QUORUM, reads ONE).")
    Consistency level = Consistency.DEFAULT;

    /** --quorum N asks the replicas itself, so a level beside it would be ignored: refused instead. */
    void refuseWithQuorum(Integer quorum) {
        if (quorum != null && level != Consistency.DEFAULT) {
            throw new UserError(ExitCode.USAGE, "--quorum and --consistency cannot be combined");
        }
    }
}
