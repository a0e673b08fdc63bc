package memdb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeded simulation suite (DESIGN §2, STYLE §11). By default seeds 1..500. Knobs (system
 * properties, passed through by surefire):
 * <ul>
 *   <li>{@code -Dmemdb.sim.seed=123} replays one seed (a failure prints exactly that command);
 *   <li>{@code -Dmemdb.sim.seeds=5000} runs more seeds, {@code -Dmemdb.sim.firstSeed=100000} moves the range;
 *   <li>{@code -Dmemdb.sim.clusterLog=false} restarts nodes without the durable cluster log of DESIGN §5,
 *       as the node does today (see {@link #restartWithoutAClusterLog});
 *   <li>{@code -Dmemdb.sim.antiEntropy=all|none}: every seed heals by anti-entropy, or by read repair
 *       (default: even seeds by anti-entropy, odd ones by read repair);
 *   <li>{@code -Dmemdb.sim.durableClock=false} restarts a node's Lamport clock at the highest timestamp
 *       in its log, as the node would today (see {@code ScenarioTest#aRestartedCoordinatorNeverReusesATimestamp}).
 * </ul>
 * A failure replays its seed keeping every trace line, and writes them to {@code target/sim-seed-N.trace}.
 */
class SimulationTest {
    private static final String REPLAY = "mvn -B -o -q -pl memdb-client,memdb-daemon test -Dtest='memdb.sim.**'"
            + " -Dsurefire.failIfNoSpecifiedTests=false";

    static LongStream seeds() {
        String one = System.getProperty("memdb.sim.seed");
        if (one != null && !one.isBlank()) return LongStream.of(Long.parseLong(one.trim()));
        long first = Long.getLong("memdb.sim.firstSeed", 1);
        return LongStream.range(first, first + Long.getLong("memdb.sim.seeds", 500));
    }

    private static Simulation.Options options() {
        return new Simulation.Options(!"false".equals(System.getProperty("memdb.sim.clusterLog")),
                "true".equals(System.getProperty("memdb.sim.durableClock")), false);
    }

    /**
     * Even seeds heal by anti-entropy alone (no read repair), odd seeds by an ALL read of every key;
     * {@code -Dmemdb.sim.antiEntropy=all|none} makes every seed do one or the other.
     */
    static Simulation.Options options(long seed) {
        String mode = System.getProperty("memdb.sim.antiEntropy", "even");
        boolean antiEntropy = mode.equals("all") || (mode.equals("even") && seed % 2 == 0);
        return antiEntropy ? options().withAntiEntropy() : options();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void seededRunKeepsTheInvariants(long seed) {
        check(seed, options(seed));
    }

    @Test
    void aSeedReplaysToTheSameTrace() {
        for (long seed : new long[] {1, 7, 42}) {
            Simulation.Result first = Simulation.run(seed, options());
            Simulation.Result second = Simulation.run(seed, options());
            assertEquals(first.traceLines(), second.traceLines(), "seed " + seed + ": trace length differs");
            assertEquals(first.traceHash(), second.traceHash(), "seed " + seed + ": trace differs");
            assertTrue(first.traceLines() > 100, "seed " + seed + " did almost nothing: " + first.traceLines());
        }
    }

    /** The seeded runs do mix joins and leaves into their faults (a run passes only once the moves are over). */
    @Test
    void seededRunsJoinAndLeaveNodes() {
        int joins = 0;
        int leaves = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Simulation.Result result = Simulation.run(seed, options().withFullTrace());
            assertTrue(result.passed(), () -> report(result, options()));
            if (result.fullTrace().stream().anyMatch(line -> line.contains(" join n"))) joins++;
            if (result.fullTrace().stream().anyMatch(line -> line.contains("left the cluster and stops"))) leaves++;
        }
        assertTrue(joins >= 8 && leaves >= 2, "joins " + joins + ", leaves " + leaves + " in 30 seeds");
    }

    /**
     * Why the node keeps its members in its durable cluster log (memdb.cluster.ClusterLog), which the
     * simulator's {@code clusterLog} option can throw away at restart: found by seed 2, a node restarted
     * without it knows only itself (or the few nodes gossip has reached so far), so its ring is partial
     * and the preference list is capped to it: QUORUM of a one-node ring is that node alone, and it
     * acknowledges a QUORUM write that no later QUORUM read can see. This canary shows the checkers
     * catch exactly that when the durable membership is taken away.
     */
    @Test
    void withoutDurableMembershipARestartedNodeBreaksQuorums() {
        long caught = 0;
        for (long seed : new long[] {2, 5, 6, 8}) {
            if (!Simulation.run(seed, new Simulation.Options(false, false, false)).passed()) caught++;
        }
        assertTrue(caught >= 3, "the checkers must catch a node that forgets the cluster on restart: " + caught + " of 4");
    }

    private static void check(long seed, Simulation.Options options) {
        Simulation.Result result = Simulation.run(seed, options);
        if (!result.passed()) fail(report(result, options) + "\n" + writeFullTrace(seed, options));
    }

    /**
     * Replays the seed keeping every line, writes them next to the surefire reports, and quotes the lines
     * that tell the story of the first violation: the faults, and everything that names its key, up to
     * the moment the violating operation completed.
     */
    private static String writeFullTrace(long seed, Simulation.Options options) {
        Simulation.Result replay = Simulation.run(seed, options.withFullTrace());
        Path file = Path.of("target", "sim-seed-" + seed + ".trace");
        String story = story(replay.fullTrace(), replay.violations().get(0));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, replay.fullTrace());
            return story + "\nfull trace (" + replay.fullTrace().size() + " lines): " + file.toAbsolutePath();
        } catch (IOException e) {
            return story + "\ncould not write the full trace: " + e;
        }
    }

    private static final Pattern OPERATION = Pattern.compile("(?:GET|CONTAINS|SET|DELETE) (k\\d+).*?\\.\\.(\\d+)ms\\]");
    private static final Pattern FAULT = Pattern.compile("^\\d+ms (crash|start|partition|heal|power|restart)");

    private static String story(List<String> trace, String violation) {
        Matcher operation = OPERATION.matcher(violation);
        if (!operation.find()) return "";
        Pattern key = Pattern.compile("\\b" + operation.group(1) + "\\b");
        long untilMs = Long.parseLong(operation.group(2));
        List<String> lines = trace.stream()
                .takeWhile(line -> Long.parseLong(line.substring(0, line.indexOf("ms"))) <= untilMs)
                .filter(line -> FAULT.matcher(line).find() || key.matcher(line).find())
                .toList();
        return "the story of " + operation.group(1) + " (faults and its messages, last 60 lines up to " + untilMs + " ms):\n  "
                + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    static String report(Simulation.Result result, Simulation.Options options) {
        return "seed " + result.seed() + " failed; replay with: " + REPLAY + " -Dmemdb.sim.seed=" + result.seed()
                + (options.clusterLog() ? "" : " -Dmemdb.sim.clusterLog=false")
                + (options.durableClock() ? "" : " -Dmemdb.sim.durableClock=false")
                + (options.antiEntropy() ? " (heals by anti-entropy)" : "")
                + "\n" + result.config()
                + "\nviolations (" + result.violations().size() + "):\n  "
                + String.join("\n  ", result.violations().subList(0, Math.min(10, result.violations().size())))
                + "\nlast events:\n  " + result.traceTail();
    }
}
