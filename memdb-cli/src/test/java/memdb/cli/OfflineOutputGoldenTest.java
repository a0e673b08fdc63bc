package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of the output formats of log-dump, log-compact and bench. Wall-clock times, measured
 * figures, temporary paths and the counter slot id (drawn at random) are replaced by placeholders first; the rest is compared exactly.
 */
class OfflineOutputGoldenTest {
    @TempDir
    Path dir;

    @Test
    void logDumpAndLogCompact() {
        Path data = dir.resolve("db");
        try (InProcessNode node = InProcessNode.start(data)) {
            Cli cli = Cli.piped(node);
            assertEquals(0, cli.run("set", "a", "one").exitCode());
            assertEquals(0, cli.run("set", "b", "two").exitCode());
            assertEquals(0, cli.run("set", "a", "three").exitCode());
            assertEquals(0, cli.run("delete", "b").exitCode());
        }
        Cli offline = new Cli(Map.of("NO_COLOR", "1"), Io.Ttys.NONE, new byte[0]);
        Golden.Transcript t = new Golden.Transcript();
        for (String format : OutputGoldenTest.FORMATS) t.run(offline, "", "log-dump", data.toString(), "-o", format);
        t.run(offline, "", "log-dump", data.toString());
        t.run(offline, "", "log-dump", dir.resolve("nowhere").toString(), "-o", "json");
        for (String format : OutputGoldenTest.FORMATS) {
            // uncompressed: the LZ4 size would vary with the records' wall-clock times
            t.run(offline, "", "log-compact", data.toString(), "--dry-run", "--no-compress", "-o", format);
        }
        t.run(offline, "", "log-compact", data.toString(), "--dry-run", "--no-compress", "--json");
        String text = t.toString().replace(dir.toString(), "$DIR")
                .replaceAll("\"wallMillis\":\\d+", "\"wallMillis\":<ms>")
                .replaceAll("\"slotId\":-?\\d+", "\"slotId\":<random>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z", "YYYY-MM-DDTHH:MM:SS.mmmZ");
        text = collapseTableOfLogCompact(text);
        Golden.assertMatches("log-dump-compact", text);
    }

    @Test
    void bench() {
        try (InProcessNode node = InProcessNode.start(dir.resolve("bench"))) {
            Cli cli = Cli.piped(node);
            Golden.Transcript t = new Golden.Transcript();
            String[] load = {"bench", "-t", "set,get", "-n", "20", "-c", "2", "-d", "4", "--timeout-ms", "30000"};
            for (String format : OutputGoldenTest.FORMATS) t.run(cli, "", OutputGoldenTest.concat(load, "-o", format));
            t.run(cli, "", OutputGoldenTest.concat(load, "--csv"));
            t.run(cli, "", OutputGoldenTest.concat(load, "--csv", "-o", "json"));
            String text = t.toString().replace(node.address(), "$NODE")
                    .replaceAll("\\d+\\.\\d+", "#.#").replaceAll(" +", " ");
            Golden.assertMatches("bench", text);
        }
    }

    /** The log-compact table's SNAPSHOT column is as wide as the temporary path was: one space run per gap. */
    private static String collapseTableOfLogCompact(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            boolean table = line.startsWith("DRY_RUN ") || line.startsWith("true ");
            out.append(table ? line.replaceAll(" {2,}", "  ") : line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}
