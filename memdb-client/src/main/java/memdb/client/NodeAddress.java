package memdb.client;

import java.util.Objects;

/**
 * Where a node listens: host and port. Parsed from the "host:port" strings users give as seeds
 * ("[::1]:10000" for an IPv6 literal). Equal addresses share one connection.
 */
public record NodeAddress(String host, int port) {
    public NodeAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }

    /** Parses "host:port"; throws IllegalArgumentException with a one-sentence reason otherwise. */
    public static NodeAddress parse(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        String text = hostPort.strip();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("node address \"" + hostPort + "\" must look like host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node address \"" + hostPort + "\" has a port that is not a number");
        }
        return new NodeAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
