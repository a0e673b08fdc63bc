package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL of the real jar through a pipe (batch mode): a bash here-doc of several commands, the exit
 * code of the first failure, --continue, and {@code memdb} alone reading its commands from stdin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplIT {
    private static final String KEY = "repl-it-secret-key-0123";

    @TempDir
    static Path root;

    private MemdbProcesses processes;
    private Map<String, String> env;

    @BeforeAll
    void startServer() throws Exception {
        processes = new MemdbProcesses(root);
        MemdbProcesses.Server server = processes.startSingleNode(KEY);
        env = processes.clientEnvironment(server, KEY);
    }

    @AfterAll
    void stop() throws Exception {
        processes.close();
    }

    private MemdbProcesses.Result memdb(String stdin, String... args) throws Exception {
        return processes.run(env, stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    @Test
    void aHereDocRunsAsABatchSharingOneConnection() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "'" + java + "' -jar '" + MemdbProcesses.jar() + "' <<'EOF'\n"
                + "# a comment, then a blank line\n\n"
                + "set greeting \"hello world!\"\n"
                + "get greeting\n"
                + "contains greeting -o json\n"
                + "EOF\n";
        MemdbProcesses.Result result = processes.runCommand(List.of("/bin/bash", "-c", script), env, new byte[0]);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("OK\nhello world!\n{\"key\":\"greeting\",\"contains\":true}\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void stopsAtTheFirstFailureWithItsExitCode() throws Exception {
        MemdbProcesses.Result result = memdb("set a 1\nget missing-key\nset b 2\n", "repl");
        assertEquals(ExitCode.NOT_FOUND, result.exitCode());
        assertEquals("OK\n", result.stdout());
        assertEquals("memdb: key 'missing-key' not found\n", result.stderr());
        assertEquals(ExitCode.NOT_FOUND, memdb("get b\n", "get", "b").exitCode(), "set b never ran");
    }

    @Test
    void continueRunsEveryLineAndExitsWithTheFirstFailure() throws Exception {
        MemdbProcesses.Result result = memdb("get nothing-here\nset c 3 --consistency NEVER\nset c 3\nget c\n",
                "repl", "--continue");
        assertEquals(ExitCode.NOT_FOUND, result.exitCode(), result.stderr());
        assertEquals("OK\n3\n", result.stdout());
        assertTrue(result.stderr().contains("NEVER"), result.stderr());
    }

    @Test
    void theReplsOutputOptionIsTheDefaultOfItsCommands() throws Exception {
        MemdbProcesses.Result result = memdb("set j v\nget j\nget j -o raw\n", "repl", "-o", "json");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("{\"key\":\"j\",\"ok\":true,\"bytes\":1}\n{\"key\":\"j\",\"found\":true,\"value\":\"v\"}\nv\n",
                result.stdout());
    }

    @Test
    void aCommandCannotReadTheScriptAsItsValue() throws Exception {
        MemdbProcesses.Result result = memdb("set k\nget k\n");
        assertEquals(ExitCode.USAGE, result.exitCode());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
    }
}
