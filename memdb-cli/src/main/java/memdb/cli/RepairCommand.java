package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code memdb cluster repair [--all]}: an anti-entropy round now, on the node behind {@code --admin} (or
 * on every node), over {@code POST /v1/repair}; prints what each round compared and fixed. Exit 0 when
 * every round was complete, 3 when a node could not be reached or a range could not be compared.
 */
@Command(name = "repair", description = "Run anti-entropy now on the node (or every node with --all) and report what it fixed.")
final class RepairCommand implements Callable<Integer> {
    @ParentCommand
    ClusterCommand cluster;

    @Mixin
    ClusterCommand.AdminOptions options;

    @Option(names = "--all", description = "Repair on every node of the cluster, not only the one asked.")
    boolean all;

    @Option(names = "--wait-ms", paramLabel = "MS", defaultValue = "3600000",
            description = "How long to wait for the rounds to end (default ${DEFAULT-VALUE}).")
    long waitMs;

    @Override
    public Integer call() {
        Io io = cluster.root.io();
        if (waitMs <= 0) throw new UserError(ExitCode.USAGE, "--wait-ms must be positive");
        JsonNode result = options.connect(io, Duration.ofMillis(waitMs)).post("/v1/repair" + (all ? "?all=true" : ""));
        boolean allComplete = true;
        for (JsonNode node : result.path("nodes")) {
            allComplete &= node.path("report").path("complete").asBoolean(false);
        }
        if (options.json) {
            DataCommand.printLine(io, result.toString());
        } else {
            for (JsonNode node : result.path("nodes")) io.out().println(line(node));
            io.out().flush();
        }
        return allComplete ? ExitCode.OK : ExitCode.UNAVAILABLE;
    }

    private static String line(JsonNode node) {
        String id = node.path("nodeId").asText();
        JsonNode r = node.path("report");
        if (r.isMissingNode() || r.isNull()) return "node " + id + ": not repaired: " + node.path("error").asText("unreachable");
        return String.format(Locale.ROOT, "node %s: %s in %d ms: %d ranges compared (%d differing, %d failed), %d keys differing,"
                        + " %d entries received, %d sent, %d bytes sent, %d received",
                id, r.path("complete").asBoolean() ? "complete" : "INCOMPLETE", r.path("durationMs").asLong(),
                r.path("rangesCompared").asLong(), r.path("rangesDiffering").asLong(), r.path("rangesFailed").asLong(),
                r.path("keysDiffering").asLong(), r.path("entriesReceived").asLong(), r.path("entriesSent").asLong(),
                r.path("bytesSent").asLong(), r.path("bytesReceived").asLong());
    }
}
