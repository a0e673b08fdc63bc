package memdb.node;

import java.lang.System.Logger.Level;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP re-reads the configuration ({@link RunningConfig#reload}), as with nginx or sshd. Installed only
 * by the foreground runner of a real process; replaces the JVM's default SIGHUP behaviour (shut down).
 * Uses {@code sun.misc.Signal} (module jdk.unsupported), the one JDK way to handle a signal; where the
 * platform has no SIGHUP the node runs on without it and says so. A process that inherited SIGHUP as
 * ignored (started under {@code nohup}) keeps ignoring it — the JVM will not take an ignored signal back —
 * and the node says that too, rather than promise a reload that cannot come.
 */
final class ReloadSignal {
    private static final System.Logger LOG = System.getLogger(ReloadSignal.class.getName());

    /** Logged when the process was started with SIGHUP ignored. */
    static final String IGNORED = "SIGHUP is ignored by this process (started under nohup?), so it cannot reload the"
            + " configuration; use `memdb config set`, or start the node without nohup";

    private ReloadSignal() {}

    static void install(RunningConfig config) {
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> reload(config));
            if (previous == SignalHandler.SIG_IGN) LOG.log(Level.WARNING, IGNORED);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "SIGHUP cannot be handled here (" + e.getMessage() + "); the config is reloaded only by restart");
        }
    }

    private static void reload(RunningConfig config) {
        LOG.log(Level.INFO, "SIGHUP: re-reading the configuration");
        try {
            RunningConfig.ReloadReport report = config.reload();
            if (report.refusal() == null) {
                LOG.log(Level.INFO, "configuration reloaded: " + report.applied().size() + " live setting(s) changed"
                        + (report.restartNeeded().isEmpty() ? "" : ", " + report.restartNeeded().size() + " need(s) a restart"));
            }
        } catch (RuntimeException e) { // a reload must never take the node down
            LOG.log(Level.ERROR, "configuration reload failed; the running configuration stays", e);
        }
    }
}
