import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds the static AppCDS archive that bin/memdb uses (JDK 17: -Xshare:dump over a class list), run by
 * `mvn package` as a single-file Java program so it needs nothing but the JDK.
 *
 * <p>Steps: run a few representative one-shot commands with -XX:DumpLoadedClassList, merge their class
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
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                // ids are numbered per run, so they cannot be merged; they only matter for custom loaders
                if (line.contains(" source: ")) continue;
                classes.add(line.replaceFirst(" id: \\d+$", ""));
            }
        }
        Path merged = work.resolve("memdb.classlist");
        Files.write(merged, classes, StandardCharsets.UTF_8);
        run(List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + merged, "-XX:SharedArchiveFile=" + archive,
                "-cp", jar.toString()), work, work.resolve("dump.log"), DUMP_SECONDS_MAX, true);
        if (!Files.exists(archive)) throw new IOException("-Xshare:dump wrote no archive; see " + work.resolve("dump.log"));
        // -Xshare:on fails unless this JVM maps the archive for this jar
        run(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString(), "--version"),
                work, work.resolve("check.log"), TRAINING_SECONDS_MAX, true);
    }

    private static void run(List<String> command, Path work, Path log, long secondsMax, boolean mustSucceed)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())));
        // no real key file or seeds from the builder's environment; the training commands fail fast anyway
        builder.environment().keySet().removeIf(name -> name.startsWith("MEMDB_"));
        builder.environment().put("MEMDB_AUTH_KEY", "cds-training");
        builder.environment().put("XDG_CONFIG_HOME", work.toString());
        Process process = builder.start();
        if (!process.waitFor(secondsMax, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out after " + secondsMax + " s: " + String.join(" ", command));
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + " from " + String.join(" ", command) + "; see " + log);
        }
    }

    private static String nullDevice() {
        return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
    }
}
