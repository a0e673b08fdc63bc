package memdb.admin;

import java.util.List;
import memdb.protocol.RepairMessages;

/**
 * The answer to {@code POST /v1/repair}: per node asked, what its anti-entropy round found and fixed, or
 * why it could not be asked (docs/admin-api.md).
 */
public record RepairSummary(List<NodeRepair> nodes) {
    public RepairSummary {
        nodes = List.copyOf(nodes);
    }

    /** One node's round; {@code report} null and {@code error} set when the node could not be reached. */
    public record NodeRepair(int nodeId, RepairMessages.Summary report, String error) {
        public static NodeRepair of(int nodeId, RepairMessages.Summary report) {
            return new NodeRepair(nodeId, report, null);
        }

        public static NodeRepair failed(int nodeId, String error) {
            return new NodeRepair(nodeId, null, error);
        }
    }
}
