package memdb.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Markdown report of a run: operations, histories and violations by fault, by checker, the kill -9
 * cycles and whether any acknowledged write was lost, and each violation (the first 100).
 */
final class Report {
    private Report() {}

    static String markdown(String command, long seed, int nodes, long elapsedSeconds, List<RoundResult> rounds) {
        StringBuilder out = new StringBuilder();
        out.append("# Chaos run report\n\n");
        out.append("- command: `").append(command).append("`\n");
        out.append("- seed: ").append(seed).append(" (rerun with `-Dchaos.seed=").append(seed).append("`)\n");
        out.append("- nodes: ").append(nodes).append(" real `memdb` processes on loopback, replication factor 3, each behind its proxy\n");
        out.append("- rounds: ").append(rounds.size()).append(", ").append(elapsedSeconds).append(" s in all\n\n");
        out.append("## By fault\n\n| fault | rounds | nemesis s | strikes | operations | histories | violations | kill -9 cycles | force-recover boots |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, long[]> byFault = new LinkedHashMap<>();
        for (RoundResult r : rounds) {
            String title = String.join(" + ", r.faults().stream().map(f -> f.title).toList());
            long[] row = byFault.computeIfAbsent(title, t -> new long[8]);
            row[0]++;
            row[1] += r.length().toSeconds();
            row[2] += r.strikes();
            row[3] += r.operations();
            row[4] += r.histories();
            row[5] += r.violations().size();
            row[6] += r.killCycles();
            row[7] += r.forcedRecoveries();
        }
        long[] total = new long[8];
        byFault.forEach((title, row) -> {
            out.append("| ").append(title);
            for (int i = 0; i < row.length; i++) {
                out.append(" | ").append(row[i]);
                total[i] += row[i];
            }
            out.append(" |\n");
        });
        out.append("| **all**");
        for (long t : total) out.append(" | **").append(t).append("**");
        out.append(" |\n\n");
        out.append("## By checker\n\n| checker | operations | histories | violations |\n|---|---:|---:|---:|\n");
        Map<String, long[]> byChecker = new LinkedHashMap<>();
        for (RoundResult r : rounds) {
            for (Verdict v : r.verdicts()) {
                long[] row = byChecker.computeIfAbsent(v.checker(), c -> new long[3]);
                row[0] += v.operations();
                row[1] += v.histories();
                row[2] += v.violations().size();
            }
        }
        byChecker.forEach((checker, row) -> out.append("| ").append(checker).append(" | ").append(row[0]).append(" | ")
                .append(row[1]).append(" | ").append(row[2]).append(" |\n"));
        long killCycles = rounds.stream().mapToLong(RoundResult::killCycles).sum();
        long safeKillCycles = rounds.stream().filter(RoundResult::noAcknowledgedWriteLost).mapToLong(RoundResult::killCycles).sum();
        out.append("\n## kill -9\n\n").append(killCycles).append(" kill -9 cycles (a node killed and restarted; a log fault counts one), ")
                .append(safeKillCycles).append(" of them in rounds where the quorum-writes checker found every acknowledged write.\n");
        List<String> violations = new ArrayList<>();
        for (RoundResult r : rounds) for (String v : r.violations()) violations.add("round " + r.number() + ": " + v);
        out.append("\n## Violations\n\n");
        if (violations.isEmpty()) out.append("None.\n");
        for (String v : violations.subList(0, Math.min(100, violations.size()))) out.append("- ").append(v.replace("\n", " ")).append('\n');
        return out.toString();
    }
}
