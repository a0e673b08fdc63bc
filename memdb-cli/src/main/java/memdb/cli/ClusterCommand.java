package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code memdb cluster status|kill|leave|repair}: the cluster through a node's HTTP admin API. */
@Command(name = "cluster", description = "Show or change the cluster through a node's admin API.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Kill.class, ClusterCommand.Leave.class,
                RepairCommand.class})
final class ClusterCommand implements Runnable {
    @ParentCommand
    MemdbCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: status, kill, leave or repair");
    }

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
            return new AdminClient(address, ClientOptions.resolveAuthKey(authKey, io), timeout);
        }
    }

    @Command(name = "status", description = "List the nodes: state, address, keys, ring ownership, Lamport time.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Mixin
        AdminOptions options;

        @Override
        public Integer call() {
            Io io = cluster.root.io();
            JsonNode view = options.connect(io).get("/v1/cluster");
            if (options.json) {
                DataCommand.printLine(io, view.toString());
            } else {
                printTable(io, view);
            }
            return ExitCode.OK;
        }

        private static void printTable(Io io, JsonNode view) {
            String format = "%-8s %-6s %-22s %-9s %-8s %-10s %s%n";
            io.out().printf(Locale.ROOT, "Cluster of %d nodes, replication factor %d (asked node %s)%n",
                    view.path("nodes").size(), view.path("replicationFactor").asInt(), view.path("nodeId").asText());
            io.out().printf(Locale.ROOT, "State: U=up D=down / N=normal J=joining L=leaving X=left K=killed"
                    + " (with the join's or leave's progress)%n");
            io.out().printf(Locale.ROOT, format, "--", "Node", "Address", "Keys", "Owns", "Lamport", "Note");
            for (JsonNode node : view.path("nodes")) {
                boolean up = "UP".equals(node.path("state").asText());
                String state = (up ? "U" : "D") + statusLetter(node.path("status").asText("NORMAL"))
                        + (node.path("progress").isNumber() ? " " + node.path("progress").asInt() + "%" : "");
                io.out().printf(Locale.ROOT, format, state, node.path("id").asText(),
                        node.path("address").asText(), node.path("keys").asText("?"),
                        String.format(Locale.ROOT, "%.1f%%", 100 * node.path("ownership").asDouble()),
                        node.path("lamport").asText("?"), node.path("note").asText(""));
            }
            io.out().flush();
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

    @Command(name = "kill", description = "Stop NODE at once (the ring keeps it; it shows as down).")
    static final class Kill implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Mixin
        AdminOptions options;

        @Parameters(paramLabel = "NODE", description = "The node id to stop.")
        int nodeId;

        @Override
        public Integer call() {
            Io io = cluster.root.io();
            JsonNode result = options.connect(io).post("/v1/nodes/" + nodeId + "/kill");
            DataCommand.printLine(io, options.json ? result.toString() : "node " + nodeId + " killed");
            return ExitCode.OK;
        }
    }

    @Command(name = "leave", description = "Decommission NODE: it streams its data to the nodes that take over"
            + " its ranges, then leaves the ring and stops.")
    static final class Leave implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Mixin
        AdminOptions options;

        @Parameters(paramLabel = "NODE", description = "The node id to decommission.")
        int nodeId;

        @Override
        public Integer call() {
            Io io = cluster.root.io();
            JsonNode result = options.connect(io).post("/v1/nodes/" + nodeId + "/leave");
            DataCommand.printLine(io, options.json ? result.toString()
                    : "node " + nodeId + " is leaving: it streams its ranges to their new owners, then stops");
            return ExitCode.OK;
        }
    }
}
