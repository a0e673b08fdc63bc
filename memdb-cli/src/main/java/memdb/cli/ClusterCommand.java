package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code memdb cluster status|kill|leave|repair}: the cluster through a node's HTTP admin API. */
@Command(name = "cluster", description = "Show or change the cluster through a node's admin API.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Kill.class, ClusterCommand.Leave.class,
                RepairCommand.class})
final class ClusterCommand extends CommandGroup {

    /** Where the admin API is and how to talk to it. */
    static final class AdminOptions extends CommonOptions {
        static final String ADMIN_DEFAULT = "127.0.0.1:10080";

        @Option(names = "--admin", paramLabel = "H:P",
                description = "A node's admin address (env MEMDB_ADMIN; default " + ADMIN_DEFAULT + ").")
        String admin;

        AdminClient connect(Io io) {
            return connect(io, Duration.ofMillis(timeoutMs()));
        }

        /** With a request timeout of the caller's (a repair waits for its rounds). */
        AdminClient connect(Io io, Duration timeout) {
            String address = admin != null ? admin : io.env("MEMDB_ADMIN") != null ? io.env("MEMDB_ADMIN") : ADMIN_DEFAULT;
            ClientOptions.checkAddress(admin != null ? "--admin" : "MEMDB_ADMIN", address);
            return new AdminClient(address, ClientOptions.resolveAuthKey(authKey, io), timeout, httpsContext(io));
        }
    }

    @Command(name = "status", description = {"List the nodes: state, address, keys, ring ownership, Lamport time, "
            + "and why a node is down.",
        "text: a summary line and a table like nodetool status; table: the table only; "
            + "raw: one tab-separated line per node; json: the admin API's /v1/cluster object."})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Mixin
        AdminOptions options;

        @Override
        public Integer call() {
            Io io = cluster.root.io();
            Output output = Output.of(options, io);
            JsonNode view = options.connect(io).get("/v1/cluster");
            return output.print(reply(view, output.style()));
        }

        static Reply reply(JsonNode view, Style style) {
            Table table = table(view);
            String summary = String.format(Locale.ROOT, "Cluster of %d nodes, replication factor %d (asked node %s)%n"
                    + "State: U=up D=down / N=normal J=joining L=leaving X=left K=killed (with the join's or leave's progress)%n",
                    view.path("nodes").size(), view.path("replicationFactor").asInt(), view.path("nodeId").asText());
            String aligned = table.aligned(style, (column, cell) -> column != 0 ? cell
                    : cell.startsWith("U") ? style.green(cell) : style.red(cell));
            return Reply.fields().json(view).table(table).raw(table.tabSeparated().stripTrailing())
                    .text((summary + aligned).stripTrailing());
        }

        private static Table table(JsonNode view) {
            Table table = Table.of(List.of("--", "Node", "Address", "Keys", "Owns", "Lamport", "Note"));
            for (JsonNode node : view.path("nodes")) {
                boolean up = "UP".equals(node.path("state").asText());
                String state = (up ? "U" : "D") + statusLetter(node.path("status").asText("NORMAL"))
                        + (node.path("progress").isNumber() ? " " + node.path("progress").asInt() + "%" : "");
                table = table.withRow(List.of(state, node.path("id").asText(),
                        Values.printable(node.path("address").asText(), false), orUnknown(node.path("keys")),
                        String.format(Locale.ROOT, "%.1f%%", 100 * node.path("ownership").asDouble()),
                        orUnknown(node.path("lamport")), Values.printable(node.path("note").asText(""), false)));
            }
            return table;
        }

        private static String orUnknown(JsonNode number) {
            return number.isNumber() ? number.asText() : "?";
        }

        private static String statusLetter(String status) {
            return switch (status) {
                case "LEFT" -> "X";
                case "LEAVING" -> "L";
                case "DOWN" -> "K";
                default -> status.substring(0, 1);
            };
        }
    }

    @Command(name = "kill", description = {"Stop NODE at once (the ring keeps it; it shows as down).",
        "raw and text: node N killed; json: the admin API's answer; table: NODE KILLED."})
    static final class Kill implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Mixin
        AdminOptions options;

        @Parameters(paramLabel = "NODE", description = "The node id to stop.")
        int nodeId;

        @Override
        public Integer call() {
            return nodeAction(cluster, options, nodeId, "kill", "killed", "node " + nodeId + " killed",
                    "if that is node " + nodeId + "'s, node " + nodeId + " is not running, so there is nothing to kill");
        }
    }

    @Command(name = "leave", description = {"Decommission NODE: it streams its data to the nodes that take over"
            + " its ranges, then leaves the ring and stops.",
        "raw and text: node N is leaving ...; json: the admin API's answer; table: NODE LEAVING."})
    static final class Leave implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Mixin
        AdminOptions options;

        @Parameters(paramLabel = "NODE", description = "The node id to decommission.")
        int nodeId;

        @Override
        public Integer call() {
            return nodeAction(cluster, options, nodeId, "leave", "leaving",
                    "node " + nodeId + " is leaving: it streams its ranges to their new owners, then stops", null);
        }
    }

    /**
     * Posts {@code action} for one node to the admin API ({@code /v1/nodes/N/ACTION}) and prints the answer:
     * json as the API gave it, table and text as NODE and {@code field} = true, raw as {@code raw}; {@code whenRefused}
     * (or null) says what it means when nothing listens at the admin address.
     */
    private static int nodeAction(ClusterCommand cluster, AdminOptions options, int nodeId, String action, String field,
                                  String raw, String whenRefused) {
        Io io = cluster.root.io();
        Output output = Output.of(options, io);
        JsonNode result = options.connect(io).post("/v1/nodes/" + nodeId + "/" + action, whenRefused);
        return output.print(Reply.fields("node", nodeId, field, true).json(result).raw(raw));
    }
}
