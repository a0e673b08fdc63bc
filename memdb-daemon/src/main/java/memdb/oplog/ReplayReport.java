package memdb.oplog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What replay found: how many records it applied, where numbering and the clock must continue, and what
 * it had to cut or drop. {@link #lines()} are the log lines to print at boot.
 *
 * @param recordsReplayed records handed to the sink
 * @param lamportHigh     highest lamport time in the log (records and header floors): restart the clock above it
 * @param sequenceHigh    highest sequence number issued: the next record gets {@code sequenceHigh + 1}
 * @param bytesRead       bytes of the segment files read
 * @param files           the files replayed, in order
 * @param tornTail        the torn tail that was cut from the last log segment, or null
 * @param dropped         damaged ranges skipped under force-recover (empty otherwise)
 */
public record ReplayReport(long recordsReplayed, long lamportHigh, long sequenceHigh, long bytesRead, List<Path> files,
                           Damage tornTail, List<Damage> dropped) {
    /** A range of bytes that yielded no record. */
    public record Damage(Path file, long offset, long bytes, String reason) {}

    public ReplayReport {
        files = List.copyOf(files);
        dropped = List.copyOf(dropped);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("op log: replayed " + recordsReplayed + " records from " + files.size() + " files; highest lamport "
                + lamportHigh + ", highest sequence " + sequenceHigh);
        if (tornTail != null) {
            lines.add("op log: torn tail truncated: " + tornTail.file() + " at offset " + tornTail.offset() + ", "
                    + tornTail.bytes() + " bytes dropped (" + tornTail.reason() + ")");
        }
        for (Damage d : dropped) {
            lines.add("op log: force-recover dropped damaged bytes: " + d.file() + " at offset " + d.offset() + ", "
                    + d.bytes() + " bytes (" + d.reason() + ")");
        }
        return lines;
    }
}
