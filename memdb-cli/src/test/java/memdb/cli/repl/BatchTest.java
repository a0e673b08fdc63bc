package memdb.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Batch mode (stdin not a terminal) and the pieces the REPL shares with it: splitting, history rules. */
class BatchTest {
    private final List<List<String>> ran = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Fails a command whose first word is "fail-N" with exit code N. */
    private int run(String script, boolean continueOnFailure) {
        CommandExecutor executor = (words, out, errors) -> {
            ran.add(words);
            return words.get(0).startsWith("fail-") ? Integer.parseInt(words.get(0).substring(5)) : 0;
        };
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        return Batch.run(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), executor, errors, errors,
                continueOnFailure);
    }

    @Test
    void runsEveryLineWithShellQuotingSkippingBlanksAndComments() {
        int code = run("""
                # a comment
                set k "two words"

                set k2 "it's" a\\ b
                   get k!
                """, false);
        assertEquals(0, code);
        assertEquals(List.of(List.of("set", "k", "two words"), List.of("set", "k2", "it's", "a b"), List.of("get", "k!")), ran);
    }

    @Test
    void stopsAtTheFirstFailureWithItsExitCode() {
        assertEquals(3, run("get a\nfail-3\nget b\n", false));
        assertEquals(2, ran.size());
    }

    @Test
    void continueRunsEveryLineAndExitsWithTheFirstFailure() {
        assertEquals(1, run("fail-1\nget a\nfail-4\nget b\n", true));
        assertEquals(4, ran.size());
    }

    @Test
    void exitStopsTheScript() {
        assertEquals(0, run("get a\nexit\nget b\n", false));
        assertEquals(1, ran.size());
    }

    @Test
    void anUnclosedQuoteIsAUsageErrorNamingTheLine() {
        assertEquals(2, run("get a\nset k 'oops\nget b\n", false));
        assertEquals(1, ran.size());
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.startsWith("memdb: line 2: unclosed quote"), stderr);
    }

    @Test
    void historyFileFollowsXdgAndCanBeDisabled() {
        assertEquals(Optional.of(java.nio.file.Path.of("/s/memdb/history")),
                History.file(Map.of("XDG_STATE_HOME", "/s", "HOME", "/h")));
        assertEquals(Optional.of(java.nio.file.Path.of("/h/.local/state/memdb/history")), History.file(Map.of("HOME", "/h")));
        assertEquals(Optional.of(java.nio.file.Path.of("/tmp/h")),
                History.file(Map.of("MEMDB_HISTFILE", "/tmp/h", "XDG_STATE_HOME", "/s")));
        assertEquals(Optional.empty(), History.file(Map.of("MEMDB_HISTFILE", "/dev/null")));
    }

    @Test
    void aLineCarriesAnAuthKeyInEverySpelling() {
        assertTrue(History.carriesAuthKey(List.of("get", "k", "-a", "x")));
        assertTrue(History.carriesAuthKey(List.of("get", "k", "-ax")));
        assertTrue(History.carriesAuthKey(List.of("get", "k", "--auth-key", "x")));
        assertTrue(History.carriesAuthKey(List.of("get", "k", "--auth-key=x")));
        assertEquals(false, History.carriesAuthKey(List.of("set", "k", "--all-about-it")));
        assertEquals(false, History.carriesAuthKey(List.of("set", "auth", "v")));
    }
}
