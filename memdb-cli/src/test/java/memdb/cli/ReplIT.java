package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The REPL of the real jar through a pipe (batch mode): a bash here-doc of several commands, the exit
 * code of the first failure, --continue, and {@code memdb} alone reading its commands from stdin.
 */
class ReplIT extends SingleNodeIT {
    ReplIT() {
        super("repl-it-secret-key-0123");
    }

    private MemdbProcesses.Result memdbReading(String stdin, String... args) throws Exception {
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
        MemdbProcesses.Result result = processes.runCommand(List.of("/bin/bash", "-c", script), env, NONE);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("OK\nhello world!\n{\"key\":\"greeting\",\"contains\":true}\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void stopsAtTheFirstFailureWithItsExitCode() throws Exception {
        MemdbProcesses.Result result = memdbReading("set a 1\nget missing-key\nset b 2\n", "repl");
        assertEquals(ExitCode.NOT_FOUND, result.exitCode());
        assertEquals("OK\n", result.stdout());
        assertEquals("memdb: key 'missing-key' not found\n", result.stderr());
        assertEquals(ExitCode.NOT_FOUND, memdbReading("get b\n", "get", "b").exitCode(), "set b never ran");
    }

    @Test
    void continueRunsEveryLineAndExitsWithTheFirstFailure() throws Exception {
        MemdbProcesses.Result result = memdbReading("get nothing-here\nset c 3 --consistency NEVER\nset c 3\nget c\n",
                "repl", "--continue");
        assertEquals(ExitCode.NOT_FOUND, result.exitCode(), result.stderr());
        assertEquals("OK\n3\n", result.stdout());
        assertTrue(result.stderr().contains("NEVER"), result.stderr());
    }

    @Test
    void theReplsOutputOptionIsTheDefaultOfItsCommands() throws Exception {
        MemdbProcesses.Result result = memdbReading("set j v\nget j\nget j -o raw\n", "repl", "-o", "json");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("{\"key\":\"j\",\"ok\":true,\"bytes\":1}\n{\"key\":\"j\",\"found\":true,\"value\":\"v\"}\nv\n",
                result.stdout());
    }

    @Test
    void aCommandCannotReadTheScriptAsItsValue() throws Exception {
        MemdbProcesses.Result result = memdbReading("set k\nget k\n");
        assertEquals(ExitCode.USAGE, result.exitCode());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
    }
}
