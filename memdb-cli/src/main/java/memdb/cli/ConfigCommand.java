package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import memdb.protocol.MemDbException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb config get|set}: a running node's configuration through its admin API
 * ({@code GET/PUT /v1/config}). A live change lasts until the node restarts or gets SIGHUP.
 */
@Command(name = "config", description = "Show or change a running node's configuration through its admin API.",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand extends CommandGroup {

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
            for (String address : addresses) ClientOptions.checkAddress(nodes.isEmpty() ? "MEMDB_ADMIN" : "--node", address);
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
     * Runs {@code request} on every node and prints its reply in the format asked for. With one node, the
     * reply as it is; with several, each node's reply is marked with its address (a {@code "node"} field in
     * JSON, a NODE column in a table, {@code H:P: } before every line of text or raw) and a failure on one
     * does not stop the others. Returns the exit code of the first failure, else 0.
     */
    static int onEachNode(Io io, NodeOptions options, BiFunction<AdminClient, Output, Reply> request) {
        Output output = Output.of(options, io);
        List<AdminClient> nodes = options.connect(io);
        if (nodes.size() == 1) return output.print(request.apply(nodes.get(0), output));
        int exitCode = ExitCode.OK;
        Table table = null;
        for (AdminClient node : nodes) {
            Reply reply;
            try {
                reply = request.apply(node, output);
            } catch (MemDbException e) {
                Output.error(io, node.address() + ": " + e.getMessage());
                if (exitCode == ExitCode.OK) exitCode = ExitCode.of(e);
                continue;
            }
            switch (output.format()) {
                case JSON -> output.line(Json.write(withNode(node.address(), reply.jsonDocument())));
                case TABLE -> table = withNodeColumn(table, node.address(), reply.tableOrFields());
                case TEXT -> output.text(prefixLines(node.address(), reply.text()));
                case RAW -> output.text(prefixLines(node.address(), new String(reply.rawBytes(), StandardCharsets.UTF_8)));
                case AUTO -> throw new IllegalStateException("auto is resolved by Output.of");
            }
        }
        if (table != null) output.text(table.aligned(output.style()));
        return exitCode;
    }

    private static Object withNode(String address, Object document) {
        ObjectNode marked = JsonNodeFactory.instance.objectNode().put("node", address);
        marked.setAll((ObjectNode) Json.tree(document));
        return marked;
    }

    private static Table withNodeColumn(Table sofar, String address, Table rows) {
        List<String> header = new ArrayList<>(List.of("NODE"));
        header.addAll(rows.header());
        Table table = sofar != null ? sofar : Table.of(header);
        for (List<String> row : rows.rows()) {
            List<String> cells = new ArrayList<>(List.of(Values.printable(address, false)));
            cells.addAll(row);
            table = table.withRow(cells);
        }
        return table;
    }

    private static String prefixLines(String address, String text) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(line -> out.append(address).append(": ").append(line).append('\n'));
        return out.toString();
    }

    /** One setting ({@code GET /v1/config/{key}}'s entry) as a table row: KEY VALUE SOURCE CHANGES. */
    static Table table(Iterable<JsonNode> settings) {
        Table table = Table.of(List.of("KEY", "VALUE", "SOURCE", "CHANGES"));
        for (JsonNode s : settings) {
            table = table.withRow(List.of(printable(s, "key"), printable(s, "value"), printable(s, "source"), changes(s)));
        }
        return table;
    }

    private static String changes(JsonNode setting) {
        String changes = setting.path("live").asBoolean() ? "live" : "restart";
        JsonNode pending = setting.path("restartPending");
        return pending.isNull() || pending.isMissingNode() ? changes
                : changes + " (" + Values.printable(pending.asText(), false) + " after restart)";
    }

    private static String printable(JsonNode setting, String field) {
        return Values.printable(setting.path(field).asText(), false);
    }

    /** {@code fsync = always}: what {@code config set} prints, and {@code config get KEY} for people. */
    static String assignment(JsonNode setting) {
        return printable(setting, "key") + " = " + printable(setting, "value");
    }

    @Command(name = "get", description = {"Print KEY's value on the node, or with no KEY every key: value, source, "
            + "live or restart-only.",
        "KEY: raw the value; text KEY = VALUE (source, live or restart); table KEY VALUE SOURCE CHANGES; json the admin "
            + "API's entry. No KEY: text and table the table; raw one tab-separated line per key; json /v1/config. "
            + "Several --node: each marked with its node."})
    static final class Get implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Mixin
        NodeOptions options;

        @Parameters(paramLabel = "KEY", arity = "0..1", completionCandidates = Candidates.ConfigKeys.class, description = "A configuration key, e.g. fsync (default: all).")
        String key;

        @Override
        public Integer call() {
            Io io = config.root.io();
            return onEachNode(io, options, (node, output) -> {
                if (key == null) {
                    JsonNode all = node.get("/v1/config");
                    Table table = table(all.path("settings"));
                    return Reply.fields().json(all).table(table).raw(table.tabSeparated().stripTrailing())
                            .text(table.aligned(output.style()).stripTrailing());
                }
                JsonNode entry = node.get(path(key));
                String live = entry.path("live").asBoolean() ? "changes live" : "needs a restart to change";
                JsonNode pending = entry.path("restartPending");
                String pendingNote = pending.isNull() || pending.isMissingNode() ? ""
                        : "; " + Values.printable(pending.asText(), false) + " after restart";
                return Reply.fields().json(entry).table(table(List.of(entry)))
                        .raw(entry.path("value").asText())
                        .text(assignment(entry) + " (source " + printable(entry, "source") + "; " + live + pendingNote + ")");
            });
        }
    }

    @Command(name = "set", description = {"Change KEY to VALUE on the running node, until it restarts or gets SIGHUP "
            + "(only keys that can change live; others need the config file and a restart).",
        "raw and text: KEY = VALUE; table: KEY VALUE SOURCE CHANGES; json: the admin API's entry. "
            + "Several --node: each marked with its node."})
    static final class Set implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Mixin
        NodeOptions options;

        @Parameters(index = "0", paramLabel = "KEY", completionCandidates = Candidates.LiveConfigKeys.class, description = "A live configuration key, e.g. fsync.")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The new value, as in the config file.")
        String value;

        @Override
        public Integer call() {
            Io io = config.root.io();
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("value", value);
            return onEachNode(io, options, (node, output) -> {
                JsonNode entry = node.put(path(key), body);
                return Reply.fields().json(entry).table(table(List.of(entry))).raw(assignment(entry));
            });
        }
    }
}
