package memdb.cli;

import java.util.Arrays;
import java.util.Iterator;
import memdb.node.ConfigKey;
import memdb.protocol.Consistency;
import picocli.CommandLine.Command;

/**
 * Values that Tab completion offers (bash completion and the REPL) where picocli would offer too much or
 * nothing: the consistency levels a user may name, configuration keys, and the commands help takes.
 */
final class Candidates {
    private Candidates() {}

    /** ONE, QUORUM, ALL: not DEFAULT, which is what leaving --consistency out means. */
    static final class Consistencies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Consistency.values()).filter(c -> c != Consistency.DEFAULT).map(Enum::name).iterator();
        }
    }

    /** Every configuration key ({@code config get}). */
    static final class ConfigKeys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ConfigKey.values()).map(ConfigKey::key).iterator();
        }
    }

    /** The keys that change on a running node ({@code config set}). */
    static final class LiveConfigKeys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ConfigKey.values()).filter(ConfigKey::live).map(ConfigKey::key).iterator();
        }
    }

    /** The commands of {@code memdb} ({@code help}), as the root command declares them. */
    static final class Commands implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(MemdbCommand.class.getAnnotation(Command.class).subcommands())
                    .map(command -> command.getAnnotation(Command.class).name())
                    .filter(name -> !name.equals("help")).iterator();
        }
    }
}
