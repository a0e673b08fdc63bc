package memdb.node;

/** A peer address as written in {@code seeds}: {@code host:port}, an IPv6 host in brackets ({@code [::1]:10000}). */
public record HostPort(String host, int port) {
    public HostPort {
        if (host.isEmpty()) throw new IllegalArgumentException("empty host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }

    /** Parses {@code host:port}; throws IllegalArgumentException with the reason. */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) throw new IllegalArgumentException("\"" + text + "\" is not host:port");
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" has no numeric port");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
