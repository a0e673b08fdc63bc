import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the static AppCDS archive that bin/memdb uses (JDK 17: -Xshare:dump over a class list), run by
 * `mvn package` as a single-file Java program so it needs nothing but the JDK.
 *
 * <p>Steps: run a few representative one-shot commands with -XX:DumpLoadedClassList, two boots of a node
 * (`memdb server`: a fresh one taking writes, then its restart replaying them), and `memdb repl` on a
 * pseudo-terminal (through script(1), so that JLine's terminal, line reader, completion and tail tips are
 * loaded as on a person's terminal; skipped with a note where script(1) is missing), merge their class
 * lists, dump the archive, then check that the JVM maps it (-Xshare:on). A static archive, not a dynamic
 * one (-XX:ArchiveClassesAtExit), because picocli's classes are Java 5 class files, which JDK 17 stores
 * only in a static archive.
 *
 * <p>Never fails the build: on any problem it deletes the archive, prints a warning and exits 0, and the
 * launcher simply runs without it.
 *
 * <p>Usage: java CdsArchive.java JAVA JAR ARCHIVE
 */
public final class CdsArchive {
    private static final long TRAINING_SECONDS_MAX = 120;
    private static final long DUMP_SECONDS_MAX = 300;

    /** Commands whose classes go into the archive: parsing, help, and a client failing to connect. */
    private static final List<List<String>> TRAINING = List.of(
            List.of("--version"),
            List.of("help", "get"),
            List.of("get", "k", "-s", "127.0.0.1:1", "--timeout-ms", "2000"),
            List.of("set", "k", "v", "-s", "127.0.0.1:1", "--timeout-ms", "2000"),
            List.of("cluster", "status", "--admin", "127.0.0.1:1", "--timeout-ms", "2000"));

    /**
     * What the REPL training session types: a command completed with Tab (get, failing to connect), a
     * subcommand completed with Tab (cluster status, failing too), then exit.
     */
    private static final String REPL_INPUT = "ge\t k --timeout-ms 2000\ncluster st\t --timeout-ms 2000\nexit\n";

    public static void main(String[] args) {
        if (args.length != 3) {
            System.out.println("[WARNING] memdb AppCDS: usage: CdsArchive JAVA JAR ARCHIVE; no archive built");
            return;
        }
        Path archive = Path.of(args[2]).toAbsolutePath();
        try {
            build(args[0], Path.of(args[1]).toAbsolutePath(), archive);
            System.out.println("[INFO] memdb AppCDS archive: " + archive + " (" + Files.size(archive) / 1024 + " KiB)");
        } catch (Exception e) {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException ignored) {
                // the launcher also ignores an archive older than the jar
            }
            System.out.println("[WARNING] memdb AppCDS archive not built (bin/memdb runs without it): " + e.getMessage());
        }
    }

    private static void build(String java, Path jar, Path archive) throws IOException, InterruptedException {
        Files.deleteIfExists(archive);
        Path work = archive.resolveSibling("cds");
        Files.createDirectories(work);
        Set<String> classes = new LinkedHashSet<>();
        for (int i = 0; i < TRAINING.size(); i++) {
            Path list = work.resolve("training-" + i + ".classlist");
            Files.deleteIfExists(list);
            List<String> command = new ArrayList<>(List.of(java, "-Xshare:off", "-XX:DumpLoadedClassList=" + list, "-jar", jar.toString()));
            command.addAll(TRAINING.get(i));
            run(command, work, work.resolve("training-" + i + ".log"), TRAINING_SECONDS_MAX, false);
            if (!Files.exists(list)) throw new IOException("no class list from " + command);
            addClasses(list, classes);
        }
        trainRepl(java, jar, work, classes);
        trainServer(java, jar, work, classes);
        Path merged = work.resolve("memdb.classlist");
        Files.write(merged, classes, StandardCharsets.UTF_8);
        run(List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + merged, "-XX:SharedArchiveFile=" + archive,
                "-cp", jar.toString()), work, work.resolve("dump.log"), DUMP_SECONDS_MAX, true);
        if (!Files.exists(archive)) throw new IOException("-Xshare:dump wrote no archive; see " + work.resolve("dump.log"));
        // -Xshare:on fails unless this JVM maps the archive for this jar
        run(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString(), "--version"),
                work, work.resolve("check.log"), TRAINING_SECONDS_MAX, true);
    }

    private static void addClasses(Path list, Set<String> classes) throws IOException {
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            // ids are numbered per run, so they cannot be merged; they only matter for custom loaders
            if (line.contains(" source: ")) continue;
            classes.add(line.replaceFirst(" id: \\d+$", ""));
        }
    }

    /**
     * `memdb repl` on a pseudo-terminal made by script(1) (util-linux: `script -qec COMMAND /dev/null`),
     * typing {@link #REPL_INPUT}. Without script(1), or if the session loads no JLine class, the archive
     * is built without the REPL's classes (the REPL then starts as fast as without an archive) and a note
     * says so.
     */
    private static void trainRepl(String java, Path jar, Path work, Set<String> classes) throws IOException, InterruptedException {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            System.out.println("[INFO] memdb AppCDS: no /usr/bin/script (util-linux), so the REPL's classes are left out");
            return;
        }
        Path list = work.resolve("training-repl.classlist");
        Files.deleteIfExists(list);
        Path input = work.resolve("training-repl.input");
        Files.writeString(input, REPL_INPUT, StandardCharsets.UTF_8);
        String command = String.join(" ", quoted(java), "-Xshare:off", quoted("-XX:DumpLoadedClassList=" + list), "-jar",
                quoted(jar.toString()), "repl", "-s", "127.0.0.1:1");
        run(List.of(script.toString(), "-qec", command, "/dev/null"), work, work.resolve("training-repl.log"),
                TRAINING_SECONDS_MAX, false, input);
        if (!Files.exists(list) || Files.readAllLines(list, StandardCharsets.UTF_8).stream().noneMatch(l -> l.startsWith("org/jline/"))) {
            System.out.println("[INFO] memdb AppCDS: the REPL session on a pseudo-terminal loaded no JLine class (see "
                    + work.resolve("training-repl.log") + "), so the REPL's classes are left out");
            return;
        }
        addClasses(list, classes);
    }

    /**
     * A node's boot: `memdb server` on a fresh data directory takes a few writes (`memdb set`) and stops on
     * SIGTERM, then boots again on that directory, replaying its log, and stops. The classes of the node,
     * the op log's replay and write path and Netty then come from the archive when `bin/memdb server` starts
     * (docs/oplog-benchmark.md, session 4); before, the archive held only the one-shot commands' classes.
     */
    private static void trainServer(String java, Path jar, Path work, Set<String> classes)
            throws IOException, InterruptedException {
        Path data = work.resolve("training-server-data");
        deleteTree(data);
        Files.createDirectories(data);
        for (int boot = 0; boot < 2; boot++) {
            Path list = work.resolve("training-server-" + boot + ".classlist");
            Files.deleteIfExists(list);
            Path log = work.resolve("training-server-" + boot + ".log");
            Process server = start(List.of(java, "-Xshare:off", "-XX:DumpLoadedClassList=" + list, "-jar", jar.toString(),
                    "server", "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", freePort(), "--admin-port", freePort()),
                    work, log, Path.of(nullDevice()));
            try {
                int port = awaitListening(server, log);
                if (boot == 0) {
                    for (int i = 0; i < 3; i++) { // best effort: on a starved machine a write may time out
                        run(List.of(java, "-jar", jar.toString(), "set", "cds-training-" + i, "v" + i, "-s", "127.0.0.1:" + port,
                                "--timeout-ms", "30000"), work, work.resolve("training-server-set.log"), TRAINING_SECONDS_MAX, false);
                    }
                }
            } finally {
                server.destroy(); // SIGTERM: the node stops cleanly and the JVM writes out its class list
                if (!server.waitFor(TRAINING_SECONDS_MAX, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                    throw new IOException("the training node did not stop on SIGTERM; see " + log);
                }
            }
            if (!Files.exists(list)) throw new IOException("no class list from the training node; see " + log);
            addClasses(list, classes);
        }
        deleteTree(data);
    }

    /** The client port from the node's "listening on HOST:PORT" line, once it is in {@code log}. */
    private static int awaitListening(Process server, Path log) throws IOException, InterruptedException {
        Pattern listening = Pattern.compile("listening on [^ ]*:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAINING_SECONDS_MAX);
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!server.isAlive()) throw new IOException("the training node stopped; see " + log);
            Thread.sleep(50);
        }
        throw new IOException("the training node did not start in " + TRAINING_SECONDS_MAX + " s; see " + log);
    }

    /** A free loopback port (a node on port 0 would advertise an address its clients cannot use). */
    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }

    /** A word for sh -c: in single quotes. */
    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void run(List<String> command, Path work, Path log, long secondsMax, boolean mustSucceed)
            throws IOException, InterruptedException {
        run(command, work, log, secondsMax, mustSucceed, Path.of(nullDevice()));
    }

    private static void run(List<String> command, Path work, Path log, long secondsMax, boolean mustSucceed, Path input)
            throws IOException, InterruptedException {
        Process process = start(command, work, log, input);
        if (!process.waitFor(secondsMax, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out after " + secondsMax + " s: " + String.join(" ", command));
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + " from " + String.join(" ", command) + "; see " + log);
        }
    }

    private static Process start(List<String> command, Path work, Path log, Path input) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(input.toFile()));
        // no real key file or seeds from the builder's environment; the training commands fail fast anyway
        builder.environment().keySet().removeIf(name -> name.startsWith("MEMDB_"));
        builder.environment().put("MEMDB_AUTH_KEY", "cds-training");
        builder.environment().put("XDG_CONFIG_HOME", work.toString());
        builder.environment().put("MEMDB_HISTFILE", nullDevice());
        builder.environment().put("MEMDB_ADMIN", "127.0.0.1:1");
        return builder.start();
    }

    private static String nullDevice() {
        return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
    }
}
