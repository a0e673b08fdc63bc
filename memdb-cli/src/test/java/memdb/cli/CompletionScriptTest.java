package memdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The checked-in completion script is valid bash and completes commands (skipped where there is no bash). */
class CompletionScriptTest {
    private static final Path BASH = Path.of("/bin/bash");
    private static final long BASH_SECONDS_MAX = 30;

    @Test
    void bashParsesTheScript() throws Exception {
        Result result = bash("-n", script().toString());
        assertEquals(0, result.exitCode(), "bash -n " + DocsGenerator.COMPLETION_SCRIPT + ":\n" + result.output());
    }

    @Test
    void completesSubcommandsAndOptions() throws Exception {
        // compopt only works inside a completion that readline started; here it is a no-op.
        String commands = "source '" + script() + "'\ncompopt() { :; }\n"
                + "COMP_WORDS=(memdb g); COMP_CWORD=1; COMP_LINE='memdb g'; COMP_POINT=7; _complete_memdb; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(memdb get --ti); COMP_CWORD=2; COMP_LINE='memdb get --ti'; COMP_POINT=14; _complete_memdb; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(memdb help co); COMP_CWORD=2; COMP_LINE='memdb help co'; COMP_POINT=13; _complete_memdb; echo \"${COMPREPLY[*]}\"\n";
        Result result = bash("-c", commands);
        assertEquals(0, result.exitCode(), result.output());
        List<String> lines = result.output().lines().toList();
        assertEquals("get", lines.get(0).trim(), result.output());
        assertTrue(lines.get(1).contains("--timeout-ms"), result.output());
        assertEquals("contains counter config", lines.get(2).trim(), result.output());
    }

    private static Path script() {
        return DocsDriftTest.repositoryRoot().resolve(DocsGenerator.COMPLETION_SCRIPT);
    }

    private record Result(int exitCode, String output) {}

    private static Result bash(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(BASH), "no bash here");
        List<String> command = new java.util.ArrayList<>(List.of(BASH.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(BASH_SECONDS_MAX, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bash did not finish in " + BASH_SECONDS_MAX + " s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
