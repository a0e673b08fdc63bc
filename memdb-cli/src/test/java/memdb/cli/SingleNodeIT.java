package memdb.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of end-to-end tests that share one real node (the built jar on a free loopback port) across
 * their tests: started before the first test, stopped by PID after the last. {@link #env} is a client
 * environment that reaches it with {@link #authKey} (MEMDB_SEEDS, MEMDB_AUTH_KEY, a home of its own).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SingleNodeIT {
    static final byte[] NONE = new byte[0];

    @TempDir
    static Path root;

    final String authKey;
    private final String[] serverArgs;
    MemdbProcesses processes;
    MemdbProcesses.Server server;
    Map<String, String> env;

    SingleNodeIT(String authKey, String... serverArgs) {
        this.authKey = authKey;
        this.serverArgs = serverArgs;
    }

    /**
     * The node's arguments beyond the auth key and data directory: those given to the constructor. A test that
     * must first prepare files under {@link #root} (a config file, say) overrides this.
     */
    String[] serverArgs() throws IOException {
        return serverArgs;
    }

    @BeforeAll
    void startServer() throws Exception {
        processes = new MemdbProcesses(root);
        server = processes.startSingleNode(authKey, serverArgs());
        env = processes.clientEnvironment(server, authKey);
    }

    /** Runs one {@code memdb} command against the node, with {@link #env} and no standard input. */
    MemdbProcesses.Result memdb(String... args) throws Exception {
        return processes.run(env, NONE, args);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (processes != null) processes.close();
    }
}
