package memdb.node;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Keys and TLS (docs/operations.md, "TLS and keys"). {@code clientKey} and {@code nodeKey} default to the
 * auth key (auth-key, else the auth-key file), so a config with auth-key alone keeps one key for
 * everything. {@code adminKey} says which of the two the admin API accepts. {@link #toString()} never
 * shows a key.
 */
public record SecurityConfig(Optional<String> clientKey, Optional<String> nodeKey, AdminKey adminKey, Optional<TlsFiles> tls) {
    /** No separate keys, admin API on the node key, plaintext. */
    public static final SecurityConfig DEFAULTS = new SecurityConfig(Optional.empty(), Optional.empty(), AdminKey.NODE,
            Optional.empty());

    /** Which key the admin API accepts. */
    public enum AdminKey {
        /** The node key (the default: the admin API can kill, drain and reconfigure nodes). */
        NODE,
        /** The client key. */
        CLIENT,
        /** Either key. */
        ANY;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static AdminKey parse(String text) {
            for (AdminKey k : values()) if (k.configName().equalsIgnoreCase(text.strip())) return k;
            throw new IllegalArgumentException("expected node, client or any");
        }
    }

    public SecurityConfig {
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(nodeKey, "nodeKey");
        Objects.requireNonNull(adminKey, "adminKey");
        Objects.requireNonNull(tls, "tls");
    }

    public SecurityConfig withTls(TlsFiles files) {
        return new SecurityConfig(clientKey, nodeKey, adminKey, Optional.of(files));
    }

    public SecurityConfig withKeys(String client, String node) {
        return new SecurityConfig(Optional.of(client), Optional.of(node), adminKey, tls);
    }

    @Override
    public String toString() {
        return "SecurityConfig[clientKey=" + (clientKey.isPresent() ? "(configured)" : "(auth key)") + ", nodeKey="
                + (nodeKey.isPresent() ? "(configured)" : "(auth key)") + ", adminKey=" + adminKey.configName()
                + ", tls=" + tls.map(TlsFiles::toString).orElse("off") + "]";
    }
}
