package memdb.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The configuration of a running node, and its changes without a restart: {@code PUT /v1/config/KEY}
 * ({@link #set}) and SIGHUP ({@link #reload}).
 *
 * <p>The configuration in force is an immutable {@link State} swapped atomically; readers never lock.
 * Changes are serialized (one at a time) and each is handed to the node through the {@link Applier} —
 * in production as an input of the core thread — in the order they were made.
 *
 * <p>Rules: only {@link ConfigKey#live()} keys change; a live change is checked by the same parser as the
 * config file (with every other setting in force, so cross-key rules hold) and outranks flags,
 * environment and file until the next restart or SIGHUP; SIGHUP re-resolves flags, environment and the
 * config file as a restart would, drops the live changes, applies the live keys, and for restart-only
 * keys that changed logs that a restart is needed (keeping the running value). A file that does not
 * parse is refused as a whole, naming the line, and the running configuration stays.
 */
public final class RunningConfig {
    private static final System.Logger LOG = System.getLogger(RunningConfig.class.getName());
    private static final String LIVE_ORIGIN = "the admin API";

    /** Puts a new snapshot of the live settings into effect; completes once it is. */
    public interface Applier {
        CompletableFuture<Void> apply(LiveSettings settings);
    }

    /** One key as the admin API shows it; {@code restartPending} is the value waiting for a restart, or null. */
    public record Entry(ConfigKey key, String value, ConfigSource source, String restartPending) {}

    /** What a SIGHUP did: the live keys changed, the restart-only keys that need a restart, or why the file was refused. */
    public record ReloadReport(List<ConfigKey> applied, List<ConfigKey> restartNeeded, String refusal) {}

    /** {@code base}: what flags, env and file give; {@code live}: the admin API's changes on top; {@code effective}: the result. */
    private record State(ResolvedConfig base, Map<ConfigKey, Setting> live, ServerConfig effective,
                         Map<ConfigKey, String> restartPending) {}

    private final AtomicReference<State> state;
    private final Supplier<ResolvedConfig> reloader;
    private final Applier applier;

    /** {@code reloader} re-resolves the configuration for SIGHUP (null: nothing to re-read). */
    public RunningConfig(ResolvedConfig initial, Supplier<ResolvedConfig> reloader, Applier applier) {
        this.state = new AtomicReference<>(new State(initial, Map.of(), initial.config(), Map.of()));
        this.reloader = reloader;
        this.applier = applier;
    }

    /** Puts the settings in force into effect (at start: the log level, and the core's live settings). */
    public CompletableFuture<Void> applyCurrent() {
        return applier.apply(LiveSettings.of(current()));
    }

    /** The configuration in force. */
    public ServerConfig current() {
        return state.get().effective();
    }

    /** Every key, in {@link ConfigKey} order. */
    public List<Entry> entries() {
        State s = state.get();
        List<Entry> entries = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) entries.add(entry(s, key));
        return entries;
    }

    public Entry entry(ConfigKey key) {
        return entry(state.get(), key);
    }

    private static Entry entry(State s, ConfigKey key) {
        ConfigSource source = s.live().containsKey(key) ? ConfigSource.LIVE : s.base().source(key);
        return new Entry(key, ConfigValues.shown(s.effective(), key), source, s.restartPending().get(key));
    }

    /**
     * Changes a live key; completes once the node runs with it.
     *
     * @throws IllegalArgumentException when {@code key} cannot change live
     * @throws ConfigException when the value is invalid (the message names the key and the reason)
     */
    public synchronized CompletableFuture<Void> set(ConfigKey key, String value) {
        if (!key.live()) throw new IllegalArgumentException(key.key() + " cannot change on a running node; it needs a restart");
        State s = state.get();
        Map<ConfigKey, Setting> live = new EnumMap<>(ConfigKey.class);
        live.putAll(s.live());
        live.put(key, new Setting(value.strip(), LIVE_ORIGIN));
        ServerConfig next = s.base().with(live);
        logChanges(s.effective(), next, k -> k == key, LIVE_ORIGIN);
        return swap(new State(s.base(), Map.copyOf(live), next, s.restartPending()));
    }

    /** SIGHUP: re-reads the configuration and applies what may change live (see the class comment). */
    public synchronized ReloadReport reload() {
        if (reloader == null) return new ReloadReport(List.of(), List.of(), "this node has no configuration to re-read");
        State s = state.get();
        ResolvedConfig fresh;
        ResolvedConfig base;
        try {
            fresh = reloader.get();
            base = keepRestartOnly(s.base(), fresh);
        } catch (ConfigException e) {
            LOG.log(Level.ERROR, "configuration not reloaded, the running one stays: " + e.getMessage());
            return new ReloadReport(List.of(), List.of(), e.getMessage());
        }
        Map<ConfigKey, String> pending = new EnumMap<>(ConfigKey.class);
        List<ConfigKey> applied = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            String was = ConfigValues.raw(s.effective(), key);
            String wanted = ConfigValues.raw(fresh.config(), key);
            if (Objects.equals(was, wanted)) continue;
            if (key.live()) {
                applied.add(key);
            } else {
                pending.put(key, ConfigValues.shown(fresh.config(), key));
                LOG.log(Level.WARNING, "config: " + key.key() + " changed to " + ConfigValues.shown(fresh.config(), key)
                        + " but needs a restart; the node keeps " + ConfigValues.shown(s.effective(), key));
            }
        }
        logChanges(s.effective(), base.config(), applied::contains, "SIGHUP");
        swap(new State(base, Map.of(), base.config(), Map.copyOf(pending)));
        return new ReloadReport(List.copyOf(applied), List.copyOf(pending.keySet()), null);
    }

    /** {@code fresh} with every restart-only key as in {@code running}: those do not change before a restart. */
    private static ResolvedConfig keepRestartOnly(ResolvedConfig running, ResolvedConfig fresh) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, ConfigSource> sources = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            ResolvedConfig from = key.live() ? fresh : running;
            Setting setting = from.settings().get(key);
            if (setting == null) continue;
            settings.put(key, setting);
            sources.put(key, from.source(key));
        }
        ServerConfig config = new SettingsReader(settings, running.dataDirDefault()).serverConfig();
        return new ResolvedConfig(config, settings, sources, running.dataDirDefault());
    }

    private CompletableFuture<Void> swap(State next) {
        state.set(next);
        return applier.apply(LiveSettings.of(next.effective()));
    }

    private static void logChanges(ServerConfig before, ServerConfig after, Predicate<ConfigKey> which, String origin) {
        for (ConfigKey key : ConfigKey.values()) {
            if (!which.test(key)) continue;
            String was = ConfigValues.shown(before, key);
            String now = ConfigValues.shown(after, key);
            if (!was.equals(now)) LOG.log(Level.INFO, "config: " + key.key() + " " + was + " -> " + now + " (from " + origin + ")");
        }
    }
}
