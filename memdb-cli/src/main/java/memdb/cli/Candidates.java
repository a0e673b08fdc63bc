package memdb.cli;

import java.util.Arrays;
import java.util.Iterator;
import memdb.node.ConfigKey;
import memdb.protocol.Consistency;

/**
 * Values that Tab completion offers (bash completion and the REPL) where picocli would offer too much or
 * nothing: the consistency levels a user may name, and configuration keys.
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
}
