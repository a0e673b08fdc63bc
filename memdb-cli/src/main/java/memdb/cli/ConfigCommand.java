package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import memdb.protocol.MemDbException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memdb config get|set}: a running node's configuration through its admin API
 * ({@code GET/PUT /v1/config}). A live change lasts until the node restarts or gets SIGHUP.
 */
@Command(name = "config", description = "Show or change a running node's configuration through its admin API.",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand implements Runnable {
    @ParentCommand
    MemdbCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: get or set");
    }

    /** Which nodes (admin addresses, repeatable) and how to talk to them. */
    static final class NodeOptions extends CommonOptions {
        @Option(names = {"--node", "--admin"}, paramLabel = "H:P",
                description = "A node's admin address; repeat it for several nodes "
                        + "(env MEMDB_ADMIN; default " + ClusterCommand.AdminOptions.ADMIN_DEFAULT + ").")
        List<String> nodes = new ArrayList<>();

        List<AdminClient> connect(Io io) {
            List<String> addresses = new ArrayList<>(nodes);
            if (addresses.isEmpty()) {
                addresses.add(io.env("MEMDB_ADMIN") != null ? io.env("MEMDB_ADMIN") : ClusterCommand.AdminOptions.ADMIN_DEFAULT);
            }
            String key = ClientOptions.resolveAuthKey(authKey, io);
            Duration timeout = Duration.ofMillis(timeoutMs());
            javax.net.ssl.SSLContext tls = httpsContext(io);
            return addresses.stream().map(address -> new AdminClient(address, key, timeout, tls)).toList();
        }
    }

    static String path(String key) {
        return "/v1/config/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Runs {@code request} on every node; with several nodes, each line of text is prefixed by the node
     * and a failure on one does not stop the others. Returns the exit code of the first failure, else 0.
     */
    static int onEachNode(Io io, NodeOptions options, Function<AdminClient, List<String>> request) {
        List<AdminClient> nodes = options.connect(io);
        boolean several = nodes.size() > 1;
        int exitCode = ExitCode.OK;
        for (AdminClient node : nodes) {
            try {
                for (String line : request.apply(node)) DataCommand.printLine(io, several ? node.address() + ": " + line : line);
            } catch (MemDbException e) {
                if (nodes.size() == 1) throw e;
                io.err().println("memdb: " + node.address() + ": " + e.getMessage());
                if (exitCode == ExitCode.OK) exitCode = ExitCode.of(e);
            }
        }
        return exitCode;
    }

    @Command(name = "get", description = "Print KEY's value on the node, or with no KEY every key: value, source, live or restart-only.")
    static final class Get implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Mixin
        NodeOptions options;

        @Parameters(paramLabel = "KEY", arity = "0..1", description = "A configuration key, e.g. fsync (default: all).")
        String key;

        @Override
        public Integer call() {
            Io io = config.root.io();
            return onEachNode(io, options, node -> {
                if (key == null) {
                    JsonNode all = node.get("/v1/config");
                    return options.json ? List.of(all.toString()) : table(all.path("settings"));
                }
                JsonNode entry = node.get(path(key));
                return List.of(options.json ? entry.toString() : entry.path("value").asText());
            });
        }

        private static List<String> table(JsonNode settings) {
            List<String> lines = new ArrayList<>();
            String format = "%-27s %-24s %-8s %s";
            lines.add(String.format(Locale.ROOT, format, "KEY", "VALUE", "SOURCE", "CHANGES"));
            for (JsonNode s : settings) {
                String changes = s.path("live").asBoolean() ? "live" : "restart";
                if (!s.path("restartPending").isNull() && !s.path("restartPending").isMissingNode()) {
                    changes += " (" + s.path("restartPending").asText() + " after restart)";
                }
                lines.add(String.format(Locale.ROOT, format, s.path("key").asText(), s.path("value").asText(),
                        s.path("source").asText(), changes));
            }
            return lines;
        }
    }

    @Command(name = "set", description = "Change KEY to VALUE on the running node, until it restarts or gets SIGHUP "
            + "(only keys that can change live; others need the config file and a restart).")
    static final class Set implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Mixin
        NodeOptions options;

        @Parameters(index = "0", paramLabel = "KEY", description = "A live configuration key, e.g. fsync.")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The new value, as in the config file.")
        String value;

        @Override
        public Integer call() {
            Io io = config.root.io();
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("value", value);
            return onEachNode(io, options, node -> {
                JsonNode entry = node.put(path(key), body);
                return List.of(options.json ? entry.toString() : entry.path("key").asText() + " = " + entry.path("value").asText());
            });
        }
    }
}
