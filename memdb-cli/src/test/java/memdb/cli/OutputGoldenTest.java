package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of {@code -o text|table|json|raw} (and auto, piped and on a terminal) for each command,
 * against a real node in-process (cluster commands against a fake admin API with a down node, so the
 * figures are fixed). The expected transcripts are in src/test/resources/golden.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputGoldenTest {
    static final List<String> FORMATS = List.of("text", "table", "json", "raw");
    static final String CLUSTER = """
            {"nodeId":1,"replicationFactor":3,"ringVersion":4,"nodes":[\
            {"id":1,"address":"127.0.0.1:10000","state":"UP","status":"NORMAL","ownership":1.0,"lamport":123,"keys":42,"note":"this node"},\
            {"id":2,"address":"127.0.0.1:10001","state":"UP","status":"NORMAL","ownership":1.0,"lamport":null,"keys":null,"note":""},\
            {"id":3,"address":"127.0.0.1:10002","state":"DOWN","status":"NORMAL","ownership":1.0,"lamport":null,"keys":null,\
            "note":"no heartbeat within the failure-detector timeout"}]}""";

    static final String FSYNC = """
            {"key":"fsync","value":"everysec","source":"default","live":true,"env":"MEMDB_FSYNC","restartPending":null}""";
    static final String CONFIG = """
            {"nodeId":1,"settings":[\
            {"key":"node-id","value":"1","source":"flag","live":false,"env":"MEMDB_NODE_ID","restartPending":null},\
            {"key":"seeds","value":"","source":"default","live":false,"env":"MEMDB_SEEDS","restartPending":null},\
            {"key":"auth-key","value":"(hidden)","source":"env","live":false,"env":"MEMDB_AUTH_KEY","restartPending":null},\
            %s,\
            {"key":"vnodes","value":"128","source":"file","live":false,"env":"MEMDB_VNODES","restartPending":"64"},\
            {"key":"slow-request-ms","value":"200","source":"live","live":true,"env":"MEMDB_SLOW_REQUEST_MS","restartPending":null}]}\
            """.formatted(FSYNC);
    /** Node 1 repaired what differed, node 2's round missed a range, node 3 did not answer. */
    static final String REPAIR = """
            {"nodes":[\
            {"nodeId":1,"report":{"complete":true,"durationMs":850,"rangesCompared":768,"rangesDiffering":384,\
            "rangesFailed":0,"keysDiffering":2000,"entriesReceived":2000,"entriesSent":0,"bytesSent":63000,\
            "bytesReceived":160000},"error":null},\
            {"nodeId":2,"report":{"complete":false,"durationMs":5012,"rangesCompared":767,"rangesDiffering":0,\
            "rangesFailed":1,"keysDiffering":0,"entriesReceived":0,"entriesSent":0,"bytesSent":1200,"bytesReceived":1100},\
            "error":null},\
            {"nodeId":3,"report":null,"error":"node 3 is down"}]}""";
    static final String REPAIR_ONE = """
            {"nodes":[{"nodeId":1,"report":{"complete":true,"durationMs":12,"rangesCompared":768,"rangesDiffering":0,\
            "rangesFailed":0,"keysDiffering":0,"entriesReceived":0,"entriesSent":0,"bytesSent":6100,"bytesReceived":6100},\
            "error":null}]}""";

    @TempDir
    static Path dir;

    private InProcessNode node;
    private Cli cli;
    private HttpServer admin;

    @BeforeAll
    void start() throws IOException {
        node = InProcessNode.start(dir.resolve("db"));
        cli = Cli.piped(node);
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        admin.createContext("/v1/cluster", exchange -> answer(exchange, 200, CLUSTER));
        admin.createContext("/v1/nodes/3/kill", exchange -> answer(exchange, 202, "{\"nodeId\":3,\"killed\":true}"));
        admin.createContext("/v1/nodes/2/leave", exchange -> answer(exchange, 202, "{\"nodeId\":2,\"leaving\":true}"));
        admin.createContext("/v1/nodes/1/leave", exchange -> answer(exchange, 409,
                "{\"error\":\"node 1 is the last node of the ring: its data would have nowhere to go\"}"));
        admin.createContext("/v1/config", exchange -> answer(exchange, 200, CONFIG));
        admin.createContext("/v1/config/fsync", exchange -> answer(exchange, 200,
                "PUT".equals(exchange.getRequestMethod()) ? FSYNC.replace("everysec", "always").replace("default", "live") : FSYNC));
        admin.createContext("/v1/config/port", exchange -> answer(exchange, 409,
                "{\"error\":\"port cannot change on a running node: it needs a restart (write it in the config file)\"}"));
        admin.createContext("/v1/config/fsynk", exchange -> answer(exchange, 404, "{\"error\":\"no configuration key \\\"fsynk\\\"\"}"));
        admin.createContext("/v1/repair", exchange -> answer(exchange, 200,
                "all=true".equals(exchange.getRequestURI().getQuery()) ? REPAIR : REPAIR_ONE));
        admin.start();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    void stop() {
        admin.stop(0);
        node.close();
    }

    private Cli terminal() {
        return cli.withTerminal(Io.Ttys.ALL);
    }

    @Test
    void set() {
        Golden.Transcript t = new Golden.Transcript();
        for (String format : FORMATS) t.run(cli, "", "set", "set-" + format, "hello wörld", "-o", format);
        t.run(cli, "", "set", "set-auto", "v");
        t.run(terminal(), "tty", "set", "set-auto", "v");
        t.run(cli, "", "set", "set-json", "v", "--json");
        t.run(cli, "", "set", "k", "v", "--json", "-o", "table");
        Golden.assertMatches("set", t.toString());
    }

    @Test
    void get() {
        Golden.Transcript t = new Golden.Transcript();
        assertEquals(0, cli.run("set", "greeting", "hello wörld\n\033[31mred").exitCode());
        assertEquals(0, cli.withStdin(new byte[] {0, 1, (byte) 0xFF, 'x'}).run("set", "binary").exitCode());
        for (String format : FORMATS) {
            t.run(cli, "", "get", "greeting", "-o", format);
            t.run(cli, "", "get", "binary", "-o", format);
            t.run(cli, "", "get", "absent", "-o", format);
        }
        t.run(cli, "", "get", "binary", "-o", "json", "--base64");
        t.run(cli, "", "get", "greeting", "--json", "--base64");
        t.run(cli, "", "get", "greeting");
        t.run(cli, "", "get", "binary", "-n");
        t.run(cli, "", "get", "greeting", "--no-newline", "-o", "text");
        t.run(terminal(), "tty", "get", "greeting");
        t.run(cli.withEnv("MEMDB_OUTPUT", "json"), "MEMDB_OUTPUT=json", "get", "greeting");
        t.run(cli.withEnv("MEMDB_OUTPUT", "yaml"), "MEMDB_OUTPUT=yaml", "get", "greeting");
        Golden.assertMatches("get", t.toString());
    }

    @Test
    void deleteAndContains() {
        Golden.Transcript t = new Golden.Transcript();
        for (String format : FORMATS) {
            assertEquals(0, cli.run("set", "doomed-" + format, "x").exitCode());
            t.run(cli, "", "contains", "doomed-" + format, "-o", format);
            t.run(cli, "", "delete", "doomed-" + format, "-o", format);
            t.run(cli, "", "delete", "doomed-" + format, "-o", format);
            t.run(cli, "", "contains", "doomed-" + format, "-o", format);
        }
        Golden.assertMatches("delete-contains", t.toString());
    }

    @Test
    void casAndSerialGet() {
        Golden.Transcript t = new Golden.Transcript();
        for (String format : FORMATS) {
            t.run(cli, "", "cas", "lock-" + format, "--absent", "free", "-o", format);
            t.run(cli, "", "cas", "lock-" + format, "taken", "mine", "-o", format);
            t.run(cli, "", "cas", "lock-" + format, "free", "mine", "-o", format);
            t.run(cli, "", "get", "lock-" + format, "--serial", "-o", format);
        }
        t.run(cli, "", "get", "never-set", "--serial");
        t.run(cli, "", "cas", "lock-text", "mine", "free", "--json");
        Golden.assertMatches("cas", t.toString());
    }

    @Test
    void counters() {
        Golden.Transcript t = new Golden.Transcript();
        for (String format : FORMATS) {
            t.run(cli, "", "counter", "incr", "hits-" + format, "5", "-o", format);
            t.run(cli, "", "counter", "decr", "hits-" + format, "-o", format);
            t.run(cli, "", "counter", "get", "hits-" + format, "-o", format);
        }
        t.run(cli, "", "counter", "get", "never-counted");
        t.run(cli, "", "counter", "get", "hits-text", "--quorum", "1", "--json");
        t.run(cli, "", "set", "plain", "v");
        t.run(cli, "", "counter", "incr", "plain");
        Golden.assertMatches("counter", t.toString());
    }

    @Test
    void clusterStatusAndKill() {
        Golden.Transcript t = new Golden.Transcript();
        Cli viaFake = cli.withEnv("MEMDB_ADMIN", "127.0.0.1:" + admin.getAddress().getPort());
        for (String format : FORMATS) t.run(viaFake, "", "cluster", "status", "-o", format);
        t.run(viaFake, "", "cluster", "status");
        t.run(viaFake.withTerminal(Io.Ttys.ALL), "tty", "cluster", "status");
        t.run(viaFake.withTerminal(Io.Ttys.ALL).withEnv("NO_COLOR", null), "tty, colour", "cluster", "status");
        for (String format : FORMATS) t.run(viaFake, "", "cluster", "kill", "3", "-o", format);
        Golden.assertMatches("cluster", t.toString());
    }

    @Test
    void clusterLeaveAndRepair() {
        Golden.Transcript t = new Golden.Transcript();
        Cli viaFake = cli.withEnv("MEMDB_ADMIN", adminAddress());
        for (String format : FORMATS) t.run(viaFake, "", "cluster", "leave", "2", "-o", format);
        t.run(viaFake, "", "cluster", "leave", "1");
        for (String format : FORMATS) t.run(viaFake, "", "cluster", "repair", "-o", format);
        for (String format : FORMATS) t.run(viaFake, "", "cluster", "repair", "--all", "-o", format);
        t.run(viaFake.withTerminal(Io.Ttys.ALL).withEnv("NO_COLOR", null), "tty, colour", "cluster", "repair", "--all");
        t.run(viaFake, "", "cluster", "repair", "--wait-ms", "0");
        Golden.assertMatches("cluster-leave-repair", t.toString());
    }

    @Test
    void configGetAndSet() {
        Golden.Transcript t = new Golden.Transcript();
        Cli viaFake = cli.withEnv("MEMDB_ADMIN", adminAddress());
        for (String format : FORMATS) t.run(viaFake, "", "config", "get", "-o", format);
        for (String format : FORMATS) t.run(viaFake, "", "config", "get", "fsync", "-o", format);
        for (String format : FORMATS) t.run(viaFake, "", "config", "set", "fsync", "always", "-o", format);
        t.run(viaFake, "", "config", "get", "fsync");
        t.run(viaFake.withTerminal(Io.Ttys.ALL), "tty", "config", "get", "fsync");
        t.run(viaFake.withTerminal(Io.Ttys.ALL).withEnv("NO_COLOR", null), "tty, colour", "config", "get");
        t.run(viaFake, "", "config", "set", "port", "10001");
        t.run(viaFake, "", "config", "get", "fsynk", "-o", "json");
        // several nodes: the same fake twice and one where nothing listens
        String[] nodes = {"--node", adminAddress(), "--node", adminAddress(), "--node", "127.0.0.1:1"};
        for (String format : FORMATS) t.run(viaFake, "", concat(new String[] {"config", "get", "fsync", "-o", format}, nodes));
        for (String format : FORMATS) t.run(viaFake, "", concat(new String[] {"config", "set", "fsync", "always", "-o", format}, nodes));
        t.run(viaFake, "", "config", "get", "-o", "table", "--node", adminAddress(), "--node", adminAddress());
        // the fake's port, as wide as it is, so that the tables stay aligned
        String port = Integer.toString(admin.getAddress().getPort());
        Golden.assertMatches("config", t.toString().replace(adminAddress(), "127.0.0.1:" + "P".repeat(port.length())));
    }

    private String adminAddress() {
        return "127.0.0.1:" + admin.getAddress().getPort();
    }

    static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
