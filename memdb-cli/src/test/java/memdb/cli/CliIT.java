package memdb.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code memdb} data commands against a real node: output, standard input, JSON and exit codes. */
class CliIT extends SingleNodeIT {
    private static final String KEY = "it-secret-key-0123456789";

    CliIT() {
        super(KEY);
    }

    @Test
    void setThenGetPrintsTheRawValueAndANewline() throws Exception {
        assertEquals(0, memdb("set", "greeting", "hello world").exitCode());
        MemdbProcesses.Result get = memdb("get", "greeting");
        assertEquals(0, get.exitCode());
        assertEquals("hello world\n", get.stdout());
        assertEquals("", get.stderr());
    }

    @Test
    void getOfAMissingKeyExitsOneAndPrintsNothingOnStdout() throws Exception {
        MemdbProcesses.Result get = memdb("get", "never-written");
        assertEquals(1, get.exitCode());
        assertEquals("", get.stdout());
    }

    @Test
    void setReadsBinaryValuesFromStdinWithDashOrNoValue() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xFF, '\n', 0, 'x'};
        assertEquals(0, processes.run(env, binary, "set", "bin-dash", "-").exitCode());
        assertEquals(0, processes.run(env, binary, "set", "bin-none").exitCode());
        for (String key : new String[] {"bin-dash", "bin-none"}) {
            MemdbProcesses.Result get = memdb("get", key);
            byte[] expected = new byte[binary.length + 1];
            System.arraycopy(binary, 0, expected, 0, binary.length);
            expected[binary.length] = '\n';
            assertArrayEquals(expected, get.stdoutBytes(), key);
        }
    }

    @Test
    void emptyValueRoundTrips() throws Exception {
        assertEquals(0, processes.run(env, NONE, "set", "empty", "-").exitCode());
        MemdbProcesses.Result get = memdb("get", "empty");
        assertEquals(0, get.exitCode());
        assertEquals("\n", get.stdout());
    }

    @Test
    void deleteLeavesTheKeyAbsentAndReportsWhetherItExisted() throws Exception {
        assertEquals(0, memdb("set", "doomed", "x").exitCode());
        assertEquals(0, memdb("contains", "doomed").exitCode());
        assertEquals(0, memdb("delete", "doomed").exitCode());
        assertEquals(1, memdb("get", "doomed").exitCode());
        MemdbProcesses.Result contains = memdb("contains", "doomed");
        assertEquals(1, contains.exitCode());
        assertEquals("false\n", contains.stdout());
        assertEquals(1, memdb("delete", "doomed").exitCode());
    }

    @Test
    void getWithQuorumAsksTheReplicasDirectly() throws Exception {
        assertEquals(0, memdb("set", "q", "quorum-value").exitCode());
        MemdbProcesses.Result get = memdb("get", "q", "--quorum", "1");
        assertEquals(0, get.exitCode(), get.stderr());
        assertEquals("quorum-value\n", get.stdout());
        MemdbProcesses.Result tooMany = memdb("get", "q", "--quorum", "2");
        assertEquals(2, tooMany.exitCode(), "a single node is one replica: " + tooMany.stderr());
        assertOneSentence(tooMany.stderr());
    }

    @Test
    void jsonOutputIsOneObject() throws Exception {
        assertEquals(0, memdb("set", "j", "värde").exitCode());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode get = mapper.readTree(memdb("get", "j", "--json").stdout());
        assertEquals("j", get.get("key").asText());
        assertTrue(get.get("found").asBoolean());
        assertEquals("värde", get.get("value").asText());
        MemdbProcesses.Result missing = memdb("get", "j-missing", "--json");
        assertEquals(1, missing.exitCode());
        assertFalse(mapper.readTree(missing.stdout()).get("found").asBoolean());
        JsonNode contains = mapper.readTree(memdb("contains", "j", "--json").stdout());
        assertTrue(contains.get("contains").asBoolean());
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        Map<String, String> wrongEnv = new HashMap<>(env);
        wrongEnv.put("MEMDB_AUTH_KEY", "wrong");
        wrongEnv.put("MEMDB_SEEDS", "127.0.0.1:1");
        MemdbProcesses.Result result = processes.run(wrongEnv, NONE,
                "set", "flagged", "v", "-s", server.address(), "--auth-key", KEY);
        assertEquals(0, result.exitCode(), result.stderr());
    }

    @Test
    void aWrongAuthKeyExitsFour() throws Exception {
        MemdbProcesses.Result result = memdb("get", "x", "--auth-key", "not-the-key");
        assertEquals(4, result.exitCode());
        assertOneSentence(result.stderr());
        assertFalse(result.stderr().contains(KEY));
    }

    @Test
    void nobodyListeningExitsThree() throws Exception {
        MemdbProcesses.Result result = memdb("get", "x", "-s", "127.0.0.1:" + MemdbProcesses.freePort());
        assertEquals(3, result.exitCode());
        assertOneSentence(result.stderr());
    }

    @Test
    void aKeyOverTheLimitIsAUsageError() throws Exception {
        MemdbProcesses.Result result = memdb("set", "k".repeat(1025), "v");
        assertEquals(2, result.exitCode());
        assertOneSentence(result.stderr());
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertEquals(2, memdb("get").exitCode());
        assertEquals(2, memdb("frobnicate").exitCode());
        assertEquals(2, memdb("get", "k", "--consistency", "SOMETIMES").exitCode());
    }

    @Test
    void versionAndHelp() throws Exception {
        MemdbProcesses.Result version = memdb("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("memdb "), version.stdout());
        MemdbProcesses.Result help = memdb("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("Exit codes"), help.stdout());
        MemdbProcesses.Result helpGet = memdb("help", "get");
        assertEquals(0, helpGet.exitCode());
        assertTrue(helpGet.stdout().contains("--consistency"), helpGet.stdout());
    }

    @Test
    void aServerWithoutAKeyGeneratesAPrivateKeyFileThatTheLocalCliUses() throws Exception {
        Path home = processes.newHome("generated");
        MemdbProcesses.Server own = processes.startServer(home, "--data-dir", home.resolve("db").toString());
        Path keyFile = home.resolve("config/memdb/auth-key");
        assertTrue(Files.exists(keyFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        Map<String, String> localEnv = MemdbProcesses.environment(home);
        MemdbProcesses.Result set = processes.run(localEnv, NONE, "set", "k", "v", "-s", own.address());
        assertEquals(0, set.exitCode(), set.stderr());
        String key = Files.readString(keyFile, UTF_8).trim();
        assertFalse(own.stderr().toString().contains(key), "the key must never be printed");
        int exit = MemdbProcesses.terminate(own);
        assertTrue(exit == 0 || exit == 128 + 15, "SIGTERM stops the node cleanly, exit " + exit);
    }

    private static void assertOneSentence(String stderr) {
        assertEquals(1, stderr.strip().lines().count(), stderr);
        assertFalse(stderr.contains("Exception"), stderr);
    }
}
