package memdb.oplog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a compaction did (or, for a dry run, would do): records and bytes before and after.
 *
 * @param snapshot the snapshot written (for a dry run: the one that would be written)
 * @param replaced the files the snapshot replaces (deleted unless dry run or written elsewhere)
 * @param replay   what reading the input found (torn tail, dropped ranges)
 */
public record CompactionReport(long recordsBefore, long bytesBefore, long recordsAfter, long bytesAfter, boolean dryRun,
                               Path snapshot, List<Path> replaced, ReplayReport replay) {
    public CompactionReport {
        replaced = List.copyOf(replaced);
    }

    /** bytesAfter / bytesBefore (1.0 for an empty input). */
    public double ratio() {
        return bytesBefore == 0 ? 1.0 : (double) bytesAfter / bytesBefore;
    }

    /** One summary line, then a line per torn tail or dropped range found in the input. */
    public List<String> lines() {
        String verb = dryRun ? "would write" : "wrote";
        List<String> lines = new ArrayList<>();
        lines.add(String.format("compaction %s %s: records %d -> %d, bytes %d -> %d (ratio %.3f), replacing %d file%s",
                verb, snapshot, recordsBefore, recordsAfter, bytesBefore, bytesAfter, ratio(), replaced.size(),
                replaced.size() == 1 ? "" : "s"));
        List<String> input = replay.lines();
        lines.addAll(input.subList(1, input.size()));
        return lines;
    }
}
