package memdb.resp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * The minimal answers that tools ask for (redis-cli, redis-benchmark, client libraries on connect):
 * COMMAND [COUNT|INFO|DOCS], CONFIG GET, INFO [server|persistence|keyspace] and DBSIZE. The key count
 * is this node's live keys (the core's NODE_STATS), not the cluster's.
 */
final class ToolCommands {
    /** The Redis version whose RESP2 command subset this listener follows; libraries read it from INFO. */
    static final String REDIS_VERSION = "7.0.0";
    private static final List<String> INFO_SECTIONS = List.of("server", "clients", "persistence", "keyspace");

    private final ServerFacts facts;
    private final LongSupplier wallClockMs;

    ToolCommands(ServerFacts facts, LongSupplier wallClockMs) {
        this.facts = facts;
        this.wallClockMs = wallClockMs;
    }

    void dbsize(RespSession.Outcome out) {
        out.submit(new ClusterRequests.NodeStats(), r -> r instanceof ClusterResponses.Stats s ? new RespReply.Integer(s.keys()) : error(r));
    }

    RespReply command(RespCommand c) {
        if (c.arity() == 1) return new RespReply.Array(java.util.Arrays.stream(CommandSpec.values()).map(CommandSpec::describe).toList());
        String sub = c.text(1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "COUNT":
                return new RespReply.Integer(CommandSpec.values().length);
            case "DOCS":
                return RespReply.Array.of(); // no docs: redis-cli falls back to its built-in help
            case "INFO": {
                List<RespReply> entries = new ArrayList<>();
                for (int i = 2; i < c.arity(); i++) {
                    CommandSpec spec = CommandSpec.byName(c.arg(i));
                    entries.add(spec == null ? RespReply.NULL : spec.describe());
                }
                return new RespReply.Array(entries);
            }
            default:
                return RespErrors.unknownSubcommand(c);
        }
    }

    /** CONFIG GET pattern...: the matching parameters as name/value pairs; CONFIG SET and the rest are refused. */
    RespReply config(RespCommand c) {
        String sub = c.text(1).toUpperCase(Locale.ROOT);
        if (sub.equals("SET") || sub.equals("RESETSTAT") || sub.equals("REWRITE")) {
            return RespReply.Error.err("CONFIG " + sub + " is not supported by MemDB: configure the node with its flags or config file");
        }
        if (!sub.equals("GET")) return RespErrors.unknownSubcommand(c);
        if (c.arity() < 3) return RespErrors.wrongArity(CommandSpec.CONFIG);
        Map<String, String> parameters = parameters();
        List<RespReply> pairs = new ArrayList<>();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            for (int i = 2; i < c.arity(); i++) {
                if (Glob.matches(c.text(i).toLowerCase(Locale.ROOT), p.getKey())) {
                    pairs.add(RespReply.Bulk.of(p.getKey()));
                    pairs.add(RespReply.Bulk.of(p.getValue()));
                    break;
                }
            }
        }
        return new RespReply.Array(pairs);
    }

    private Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("save", "");
        p.put("appendonly", facts.persistent() ? "yes" : "no");
        p.put("appendfsync", facts.persistent() ? facts.fsyncPolicy() : "no");
        p.put("databases", "1");
        p.put("port", Integer.toString(facts.port()));
        p.put("maxclients", Integer.toString(facts.connectionsMax()));
        p.put("maxmemory", "0");
        p.put("maxmemory-policy", "noeviction");
        p.put("timeout", "0");
        return p;
    }

    /** INFO [section...]: asks the core for the key count, then answers the sections asked for (default: all). */
    void info(RespCommand c, RespSession.Outcome out) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.arity(); i++) {
            String s = c.text(i).toLowerCase(Locale.ROOT);
            if (s.equals("all") || s.equals("default") || s.equals("everything")) sections.addAll(INFO_SECTIONS);
            else sections.add(s);
        }
        if (sections.isEmpty()) sections.addAll(INFO_SECTIONS);
        out.submit(new ClusterRequests.NodeStats(),
                r -> r instanceof ClusterResponses.Stats s ? RespReply.Bulk.of(infoText(sections, s.keys())) : error(r));
    }

    private String infoText(List<String> sections, long keys) {
        StringBuilder text = new StringBuilder();
        for (String section : INFO_SECTIONS) {
            if (!sections.contains(section)) continue;
            if (text.length() > 0) text.append("\r\n");
            text.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1)).append("\r\n");
            switch (section) {
                case "server" -> {
                    line(text, "redis_version", REDIS_VERSION);
                    line(text, "memdb_version", facts.version());
                    line(text, "memdb_node_id", facts.nodeId());
                    line(text, "redis_mode", "standalone");
                    line(text, "process_id", ProcessHandle.current().pid());
                    line(text, "tcp_port", facts.port());
                    long uptimeSeconds = Math.max(0, wallClockMs.getAsLong() - facts.startedMs()) / 1000;
                    line(text, "uptime_in_seconds", uptimeSeconds);
                    line(text, "uptime_in_days", uptimeSeconds / 86_400);
                }
                case "clients" -> line(text, "maxclients", facts.connectionsMax());
                case "persistence" -> {
                    line(text, "loading", 0);
                    line(text, "aof_enabled", facts.persistent() ? 1 : 0);
                    line(text, "memdb_fsync", facts.persistent() ? facts.fsyncPolicy() : "none");
                }
                case "keyspace" -> {
                    if (keys > 0) line(text, "db0", "keys=" + keys + ",expires=0,avg_ttl=0");
                }
                default -> throw new IllegalStateException("section without lines: " + section);
            }
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String name, Object value) {
        text.append(name).append(':').append(value).append("\r\n");
    }

    private static RespReply error(Response r) {
        return r instanceof Responses.Error e ? RespErrors.of(e) : RespReply.Error.err("unexpected reply from the node: " + r);
    }

    /** Redis's glob subset for CONFIG GET: '*' any run, '?' any one character; everything else literal. */
    static final class Glob {
        private Glob() {}

        /** Dynamic programming over (pattern prefix, text prefix): linear in their product, whatever the pattern. */
        static boolean matches(String pattern, String text) {
            boolean[] previous = new boolean[text.length() + 1];
            previous[0] = true;
            for (int pi = 0; pi < pattern.length(); pi++) {
                char c = pattern.charAt(pi);
                boolean[] current = new boolean[text.length() + 1];
                current[0] = c == '*' && previous[0];
                for (int ti = 1; ti <= text.length(); ti++) {
                    current[ti] = c == '*' ? previous[ti] || current[ti - 1]
                            : previous[ti - 1] && (c == '?' || c == text.charAt(ti - 1));
                }
                previous = current;
            }
            return previous[text.length()];
        }
    }
}
