package memdb.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end test support: runs the real {@code memdb.jar} (path from the {@code memdb.jar} system
 * property that the build sets) as servers and as one-shot CLI commands, on free loopback ports, each
 * with its own HOME/XDG directories so that nothing touches the user's files. Servers are stopped by
 * PID in {@link #close()}; every wait is bounded. Public (in the test-jar) for memdb-chaos, which starts its
 * nodes on addresses of their own ({@link #startServer(Path, String, int, Map, String...)}).
 */
public final class MemdbProcesses implements AutoCloseable {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** A finished command: its exit code and what it wrote. */
    record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    /** A running server process, listening on {@code host} (127.0.0.1 unless started with a bind address). */
    public record Server(Process process, String host, int port, int adminPort, Path home, StringBuffer stderr) {
        public String address() {
            return host + ":" + port;
        }

        public String adminAddress() {
            return host + ":" + adminPort;
        }
    }

    private final Path root;
    private final Duration startTimeout;
    private final List<Server> servers = new ArrayList<>();

    public MemdbProcesses(Path root) {
        this(root, START_TIMEOUT);
    }

    /** With a longer wait for a server to listen (a node under libfaketime starts about ten times slower). */
    public MemdbProcesses(Path root, Duration startTimeout) {
        this.root = root;
        this.startTimeout = startTimeout;
    }

    /** A client of one node with a request timeout generous enough for a loaded CI machine. */
    static memdb.client.MemDb client(int port, String authKey) {
        return memdb.client.MemDbConnections.builder().node("127.0.0.1", port).authKey(authKey)
                .requestTimeout(Duration.ofSeconds(30)).build();
    }

    public static Path jar() {
        String jar = System.getProperty("memdb.jar");
        if (jar == null) throw new IllegalStateException("system property memdb.jar is not set (run through mvn verify)");
        return Path.of(jar);
    }

    /** Ports handed out by {@link #freePort} in this JVM: never handed out twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A loopback port that is free now and stays free until a server binds it: one below the kernel's range of
     * ephemeral ports, which no outgoing connection ever takes. (A port the kernel hands out for port 0 comes
     * from that range, and a test that picks its nodes' ports first and starts them one by one lost one to an
     * earlier node's outgoing peer connection: "Address already in use".) Never the same port twice per JVM.
     */
    public static int freePort() {
        int ephemeralStart = ephemeralRangeStart();
        int low = Math.max(1024, ephemeralStart - 12_000);
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && low < ephemeralStart; attempt++) {
            int port = random.nextInt(low, ephemeralStart);
            if (!HANDED_OUT.contains(port) && canBind(port) && HANDED_OUT.add(port)) return port;
        }
        System.err.println("freePort: no free port in [" + low + ", " + ephemeralStart + ") after 200 tries; an ephemeral one");
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first ephemeral port (Linux: /proc/sys/net/ipv4/ip_local_port_range), 32768 when it cannot be read.
     * Read line by line: {@code Files.readString} of this size-0 procfs file returned "3" on JDK 17 here, so
     * every port came from the kernel's ephemeral range (the BenchIT and MembershipIT "Address already in use").
     */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An environment whose HOME and XDG directories live under {@code home}. */
    static Map<String, String> environment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        return env;
    }

    public Path newHome(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    /** One node (home "server", data in its "db") with this auth key, for tests that need a single node. */
    Server startSingleNode(String authKey, String... extraArgs) throws IOException, InterruptedException {
        Path home = newHome("server");
        List<String> args = new ArrayList<>(List.of("--auth-key", authKey, "--data-dir", home.resolve("db").toString()));
        args.addAll(List.of(extraArgs));
        return startServer(home, args.toArray(String[]::new));
    }

    /**
     * A client's environment for {@code server}: its own home, MEMDB_SEEDS and MEMDB_AUTH_KEY set, and a
     * generous MEMDB_TIMEOUT_MS (a loaded CI machine can be slow; refusals still come at once). Mutable.
     */
    Map<String, String> clientEnvironment(Server server, String authKey) throws IOException {
        Map<String, String> env = new HashMap<>(environment(newHome("client")));
        env.put("MEMDB_SEEDS", server.address());
        env.put("MEMDB_AUTH_KEY", authKey);
        env.put("MEMDB_TIMEOUT_MS", "30000");
        return env;
    }

    /** Starts {@code memdb server} with the given extra arguments on a free port and waits until it listens. */
    Server startServer(Path home, String... extraArgs) throws IOException, InterruptedException {
        return startServer(home, freePort(), Map.of(), extraArgs);
    }

    /** Starts {@code memdb server} on {@code port} with extra environment variables and arguments. */
    Server startServer(Path home, int port, Map<String, String> extraEnv, String... extraArgs)
            throws IOException, InterruptedException {
        return startServer(home, "127.0.0.1", port, extraEnv, extraArgs);
    }

    /**
     * Starts {@code memdb server} bound to {@code host} (any loopback address, 127.0.0.0/8) on {@code port}
     * with extra environment variables and arguments, and waits until it listens.
     *
     * @throws IllegalStateException when it exits first (with its stderr) or does not listen in time
     */
    public Server startServer(Path home, String host, int port, Map<String, String> extraEnv, String... extraArgs)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startServer(home, host, port, freePort(), extraEnv, extraArgs);
            } catch (IllegalStateException e) {
                // The admin port is ours to choose: one taken since freePort saw it free (seen once in a CI run,
                // "cannot listen for the admin API ... Address already in use") is no reason to fail a test.
                boolean adminPortTaken = String.valueOf(e.getMessage()).contains("cannot listen for the admin API")
                        && String.valueOf(e.getMessage()).contains("Address already in use");
                if (!adminPortTaken || attempt == 3) throw e;
            }
        }
    }

    private Server startServer(Path home, String host, int port, int adminPort, Map<String, String> extraEnv, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> command = javaCommand();
        command.addAll(List.of("server", "--port", Integer.toString(port), "--admin-port", Integer.toString(adminPort)));
        if (!host.equals("127.0.0.1")) command.addAll(List.of("--bind", host)); // else the default, as before
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment(home));
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        StringBuffer stderr = new StringBuffer();
        drain(process.getErrorStream(), stderr);
        Server server = new Server(process, host, port, adminPort, home, stderr);
        servers.add(server);
        try {
            awaitListening(server, startTimeout);
        } catch (IllegalStateException | InterruptedException e) {
            process.destroyForcibly(); // no server left behind that never listened
            throw e;
        }
        return server;
    }

    private static void awaitListening(Server server, Duration startTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) {
                throw new IllegalStateException("server exited with " + server.process().exitValue() + ": " + server.stderr());
            }
            // The port listens from the start of the boot, before the op log's replay; the startup line says the
            // node serves.
            if (server.stderr().indexOf(" listening on ") >= 0) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(server.host(), server.port()), 200);
                    return;
                } catch (IOException notYet) {
                    // listening on another address than the test expects: wait, and fail at the deadline
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("server did not listen on " + server.port() + " within " + startTimeout);
    }

    /** Runs one {@code memdb} command with the given environment and standard input. */
    Result run(Map<String, String> env, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = javaCommand();
        command.addAll(List.of(args));
        return runCommand(command, env, stdin);
    }

    /** Runs any command line (bin/memdb, say) with the given environment and standard input. */
    Result runCommand(List<String> command, Map<String, String> env, byte[] stdin) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("MEMDB_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread outThread = drain(process.getInputStream(), out);
        StringBuffer err = new StringBuffer();
        Thread errThread = drain(process.getErrorStream(), err);
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
        }
        outThread.join(COMMAND_TIMEOUT.toMillis());
        errThread.join(COMMAND_TIMEOUT.toMillis());
        return new Result(process.exitValue(), out.toByteArray(), err.toString());
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends as the text arrives (a running server's log can be read while it runs), line by line. */
    private static Thread drain(InputStream in, StringBuffer sink) {
        return daemon(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) sink.append(line).append('\n');
            } catch (IOException e) {
                sink.append("(stderr closed: ").append(e.getMessage()).append(")\n"); // the process was killed
            }
        });
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
        return daemon(() -> sink.writeBytes(readAll(in)));
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Sends SIGTERM and waits (bounded) for the process to exit; returns its exit code. */
    static int terminate(Server server) throws InterruptedException {
        server.process().destroy();
        if (!server.process().waitFor(15, TimeUnit.SECONDS)) {
            server.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("server did not stop within 15 s of SIGTERM");
        }
        return server.process().exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        for (Server server : servers) {
            if (server.process().isAlive()) {
                server.process().destroy();
                if (!server.process().waitFor(10, TimeUnit.SECONDS)) server.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
