package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
@Command(name = "repair", description = {"Run anti-entropy now on the node (or every node with --all) and report what it fixed.",
        "raw and text: a line per node; table: a row per node; json: the admin API's answer. Exit 3 when a round was "
            + "incomplete or a node could not be asked."})
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
        Output output = Output.of(options, io);
        JsonNode result = options.connect(io, Duration.ofMillis(waitMs)).post("/v1/repair" + (all ? "?all=true" : ""));
        List<String> incomplete = new ArrayList<>();
        for (JsonNode node : result.path("nodes")) {
            if (!node.path("report").path("complete").asBoolean(false)) incomplete.add(node.path("nodeId").asText());
        }
        int exitCode = output.print(reply(result, output.style()).exitCode(incomplete.isEmpty() ? ExitCode.OK : ExitCode.UNAVAILABLE));
        if (!incomplete.isEmpty()) {
            Output.error(io, "the repair did not complete on node" + (incomplete.size() > 1 ? "s " : " ")
                    + String.join(", ", incomplete) + "; run it again once every replica is up");
        }
        return exitCode;
    }

    /** raw and text: a line per node; table: a row per node; json: the admin API's answer. INCOMPLETE in red in text. */
    static Reply reply(JsonNode result, Style style) {
        Table table = Table.of(List.of("NODE", "ROUND", "MS", "RANGES", "DIFFERING", "FAILED", "KEYS_DIFFERING",
                "RECEIVED", "SENT", "BYTES_SENT", "BYTES_RECEIVED", "NOTE"));
        StringBuilder lines = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (JsonNode node : result.path("nodes")) {
            lines.append(lines.length() == 0 ? "" : "\n").append(line(node));
            text.append(text.length() == 0 ? "" : "\n").append(line(node).replace("INCOMPLETE", style.red("INCOMPLETE")));
            String id = node.path("nodeId").asText();
            JsonNode r = node.path("report");
            if (r.isMissingNode() || r.isNull()) {
                table = table.withRow(List.of(id, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", error(node)));
                continue;
            }
            table = table.withRow(List.of(id, r.path("complete").asBoolean() ? "complete" : "INCOMPLETE",
                    r.path("durationMs").asText(), r.path("rangesCompared").asText(), r.path("rangesDiffering").asText(),
                    r.path("rangesFailed").asText(), r.path("keysDiffering").asText(), r.path("entriesReceived").asText(),
                    r.path("entriesSent").asText(), r.path("bytesSent").asText(), r.path("bytesReceived").asText(), ""));
        }
        return Reply.fields().json(result).table(table).raw(lines.toString()).text(text.toString());
    }

    private static String error(JsonNode node) {
        return Values.printable(node.path("error").asText("unreachable"), false);
    }

    private static String line(JsonNode node) {
        String id = node.path("nodeId").asText();
        JsonNode r = node.path("report");
        if (r.isMissingNode() || r.isNull()) return "node " + id + ": not repaired: " + error(node);
        return String.format(Locale.ROOT, "node %s: %s in %d ms: %d ranges compared (%d differing, %d failed), %d keys differing,"
                        + " %d entries received, %d sent, %d bytes sent, %d received",
                id, r.path("complete").asBoolean() ? "complete" : "INCOMPLETE", r.path("durationMs").asLong(),
                r.path("rangesCompared").asLong(), r.path("rangesDiffering").asLong(), r.path("rangesFailed").asLong(),
                r.path("keysDiffering").asLong(), r.path("entriesReceived").asLong(), r.path("entriesSent").asLong(),
                r.path("bytesSent").asLong(), r.path("bytesReceived").asLong());
    }
}
