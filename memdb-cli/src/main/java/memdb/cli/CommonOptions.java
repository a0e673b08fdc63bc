package memdb.cli;

import picocli.CommandLine.Option;

/** Options every command that talks to a node shares: the auth key, the output format, the time limit. */
class CommonOptions extends FormatOptions {
    @Option(names = {"-a", "--auth-key"}, paramLabel = "KEY",
            description = "The cluster's auth key (prefer env MEMDB_AUTH_KEY: a key on the command line shows in ps "
                    + "and shell history; default: the key file a local server wrote).")
    String authKey;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "${env:MEMDB_TIMEOUT_MS:-5000}",
            description = "Give up after this many milliseconds (env MEMDB_TIMEOUT_MS; default 5000).")
    long timeoutMs;

    long timeoutMs() {
        if (timeoutMs <= 0) throw new UserError(ExitCode.USAGE, "--timeout-ms must be positive");
        return timeoutMs;
    }
}
