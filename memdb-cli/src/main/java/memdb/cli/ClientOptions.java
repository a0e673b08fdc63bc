package memdb.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import memdb.client.AuthKeyFile;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.NodeAddress;
import picocli.CommandLine.Option;

/**
 * Options shared by every data command: where the cluster is, the auth key, the output format.
 * Precedence: flags, then MEMDB_* environment variables, then the local key file, then defaults.
 */
public final class ClientOptions extends CommonOptions {
    public static final String SEEDS_DEFAULT = "127.0.0.1:10000";

    @Option(names = {"-s", "--seeds"}, paramLabel = "H:P[,H:P...]",
            description = "Nodes to contact (env MEMDB_SEEDS; default " + SEEDS_DEFAULT + ").")
    String seeds;

    List<String> seedList(Io io) {
        String value = seeds != null ? seeds : io.env("MEMDB_SEEDS");
        String from = seeds != null ? "--seeds" : "MEMDB_SEEDS";
        if (value == null) value = SEEDS_DEFAULT;
        List<String> list = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty()) throw new UserError(ExitCode.USAGE, from + " names no node");
        for (String seed : list) checkAddress(from, seed);
        return list;
    }

    /** A usage error unless {@code address} is host:port with a port in 1..65535; {@code from} names where it came from. */
    static void checkAddress(String from, String address) {
        try {
            NodeAddress.parse(address);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage().contains(address) ? e.getMessage() : address + ": " + e.getMessage();
            throw new UserError(ExitCode.USAGE, "bad " + from + ": " + reason);
        }
    }

    String resolveAuthKey(Io io) {
        return resolveAuthKey(authKey, io);
    }

    /** The key from the flag, else MEMDB_AUTH_KEY, else the key file a local server wrote. */
    static String resolveAuthKey(String authKey, Io io) {
        if (authKey != null) return authKey;
        String fromEnv = io.env("MEMDB_AUTH_KEY");
        if (fromEnv != null) return fromEnv;
        return AuthKeyFile.read(AuthKeyFile.defaultPath()).orElseThrow(() -> new UserError(ExitCode.USAGE,
                "no auth key: pass --auth-key, set MEMDB_AUTH_KEY, or run a local server first (it writes "
                        + AuthKeyFile.defaultPath() + ")"));
    }

    MemDb connect(Io io) {
        return connect(io, 1);
    }

    /** A client with {@code connectionsPerNode} connections to each node (memdb bench --connections). */
    MemDb connect(Io io, int connectionsPerNode) {
        long timeoutMs = timeoutMs();
        return MemDbConnections.builder()
                .connectionsPerNode(connectionsPerNode)
                .authKey(resolveAuthKey(io))
                .seeds(seedList(io))
                .connectTimeout(Duration.ofMillis(Math.min(timeoutMs, 2000)))
                .requestTimeout(Duration.ofMillis(timeoutMs))
                .tls(clientTls(io))
                .build();
    }
}
