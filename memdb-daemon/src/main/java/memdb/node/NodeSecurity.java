package memdb.node;

import java.util.List;
import java.util.function.Supplier;
import memdb.auth.KeyPolicy;
import memdb.client.AuthKeyFile;
import memdb.tls.ClientTls;
import memdb.tls.ServerTls;

/**
 * A node's keys and TLS contexts, made once at start from its {@link SecurityConfig}: the client key and
 * the node key (each defaulting to the auth key, which defaults to the auth-key file), the keys the admin
 * API accepts, the server side of TLS for its ports and the client side for calling its peers. Never
 * printed: {@link #toString()} shows no key.
 *
 * @param peerKey the key this node presents to its peers (the node key)
 * @param clientKey the key the RESP port accepts (the client key; RESP has no node-only commands)
 * @param serverTls null for plaintext
 * @param peerTls null for plaintext
 */
record NodeSecurity(KeyPolicy keys, String peerKey, String clientKey, List<String> adminKeys, ServerTls serverTls,
                    ClientTls peerTls, boolean peerMutual) {
    /**
     * @throws ConfigException naming the setting when a TLS file cannot be used
     * @throws java.io.UncheckedIOException when the auth-key file is needed and cannot be read or written
     */
    static NodeSecurity of(ServerConfig config) {
        SecurityConfig security = config.security();
        Supplier<String> authKey = () -> config.authKey().orElseGet(() -> AuthKeyFile.readOrCreate(AuthKeyFile.defaultPath()));
        String clientKey = security.clientKey().orElseGet(authKey);
        String nodeKey = security.nodeKey().orElseGet(authKey);
        List<String> adminKeys = switch (security.adminKey()) {
            case NODE -> List.of(nodeKey);
            case CLIENT -> List.of(clientKey);
            case ANY -> List.of(nodeKey, clientKey);
        };
        if (security.tls().isEmpty()) {
            return new NodeSecurity(new KeyPolicy(clientKey, nodeKey), nodeKey, clientKey, adminKeys, null, null, false);
        }
        TlsFiles files = security.tls().get();
        try {
            ServerTls server = ServerTls.load(files.certificate(), files.privateKey(), files.ca(), files.peerMutual());
            ClientTls peers = files.peerMutual() ? ClientTls.mutual(files.ca().orElseThrow(), files.certificate(), files.privateKey())
                    : files.ca().map(ClientTls::trusting).orElseGet(ClientTls::systemTrust);
            return new NodeSecurity(new KeyPolicy(clientKey, nodeKey), nodeKey, clientKey, adminKeys, server, peers,
                    files.peerMutual());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid TLS settings (tls-cert, tls-key, tls-ca): " + ConfigException.clause(e.getMessage()));
        }
    }

    @Override
    public String toString() {
        return "NodeSecurity[" + keys + ", tls=" + (serverTls != null) + ", peerMutual=" + peerMutual + "]";
    }
}
