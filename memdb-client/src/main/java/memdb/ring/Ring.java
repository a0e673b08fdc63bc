package memdb.ring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import memdb.protocol.Key;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Consistent hashing with virtual nodes (Karger et al. 1997; Dynamo §4.2). Each node owns
 * {@code vnodesPerNode} tokens on a 64-bit ring; a key hashes (xxHash64 of its full bytes) to a point,
 * and its preference list is the next N distinct nodes clockwise from that point.
 *
 * <p>Invariants: immutable; tokens are sorted (signed long order, wrapping at the end); a node's
 * tokens depend only on its id and the vnode count, so every node computes the same ring from the same
 * membership; a preference list never names a node twice and has min(N, nodes) entries.
 *
 * <p>Every key of one range has the same preference list, so lists are made once per range and kept
 * (for the last replication factor asked: a node and a client ask with one), and handed out as
 * unmodifiable lists: finding a key's replicas is a hash and a binary search, with nothing allocated.
 */
public final class Ring {
    public static final int VNODES_DEFAULT = 128;
    private static final long SEED = 0x4D656D4442L; // "MemDB"
    private static final XXHash64 HASH = XXHashFactory.fastestJavaInstance().hash64();

    private final long[] tokens;
    private final int[] owners;
    private final SortedSet<Integer> nodes;
    private final int vnodesPerNode;
    /** The one node's list when the ring has one node: every key's preference list, found with no hash. */
    private final List<Integer> onlyNode;
    /** The preference lists made so far, for one replication factor (replaced when another is asked). */
    private volatile ListsByRange lists;

    /**
     * Preference lists by range index, made on first use. Threads may race to fill a slot: each makes an
     * equal list, and an unmodifiable list is safely published through its final fields, so any one will do.
     */
    private static final class ListsByRange {
        final int replicationFactor;
        final List<Integer>[] byRange;

        @SuppressWarnings("unchecked")
        ListsByRange(int replicationFactor, int ranges) {
            this.replicationFactor = replicationFactor;
            this.byRange = new List[ranges];
        }
    }

    private Ring(long[] tokens, int[] owners, SortedSet<Integer> nodes, int vnodesPerNode) {
        this.tokens = tokens;
        this.owners = owners;
        this.nodes = nodes;
        this.vnodesPerNode = vnodesPerNode;
        this.onlyNode = nodes.size() == 1 ? List.of(nodes.first()) : null;
    }

    /** The ring of these node ids, each with {@code vnodesPerNode} tokens. */
    public static Ring of(Collection<Integer> nodeIds, int vnodesPerNode) {
        if (vnodesPerNode < 1) throw new IllegalArgumentException("vnodesPerNode must be >= 1: " + vnodesPerNode);
        SortedSet<Integer> nodes = new TreeSet<>(nodeIds);
        List<long[]> points = new ArrayList<>(nodes.size() * vnodesPerNode);
        for (int node : nodes) {
            for (int vnode = 0; vnode < vnodesPerNode; vnode++) points.add(new long[] {token(node, vnode), node});
        }
        points.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[] tokens = new long[points.size()];
        int[] owners = new int[points.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = points.get(i)[0];
            owners[i] = (int) points.get(i)[1];
        }
        return new Ring(tokens, owners, nodes, vnodesPerNode);
    }

    /** The token of one vnode: a hash of (node id, vnode index). */
    static long token(int nodeId, int vnode) {
        byte[] bytes = ByteBuffer.allocate(8).putInt(nodeId).putInt(vnode).array();
        return HASH.hash(bytes, 0, bytes.length, SEED);
    }

    /** The ring position of a key. */
    public static long position(Key key) {
        byte[] bytes = key.bytes();
        return HASH.hash(bytes, 0, bytes.length, SEED);
    }

    public SortedSet<Integer> nodes() {
        return nodes;
    }

    public int vnodesPerNode() {
        return vnodesPerNode;
    }

    /** How many tokens (vnodes of all nodes) the ring has: the number of its ranges. */
    public int tokenCount() {
        return tokens.length;
    }

    /**
     * The i-th token in ring order. Range i is (token(i-1), token(i)] (wrapping: range 0 starts at the
     * last token); its preference list is {@code preferenceListAt(token(i), N)}.
     */
    public long tokenAt(int i) {
        return tokens[i];
    }

    /** The index of the range holding {@code position}: the first token at or after it, wrapping. */
    public int rangeIndexOf(long position) {
        return firstTokenAtOrAfter(position);
    }

    /** The first N distinct nodes clockwise from the key's position: its coordinator candidates and replicas. */
    public List<Integer> preferenceList(Key key, int replicationFactor) {
        if (onlyNode != null && replicationFactor >= 1) return onlyNode;
        return preferenceListAt(position(key), replicationFactor);
    }

    /**
     * The replicas a key gains while joins and leaves under way complete (Cassandra's pending ranges): the
     * nodes of its preference list in {@code future} that are not in it in {@code current}. Writes go to
     * them as well, so that nothing written during a move is missing once it is done.
     */
    public static List<Integer> pendingReplicas(Ring current, Ring future, Key key, int replicationFactor) {
        if (current == future) return List.of(); // no move under way
        long position = position(key);
        List<Integer> now = current.preferenceListAt(position, replicationFactor);
        List<Integer> pending = List.of();
        for (int node : future.preferenceListAt(position, replicationFactor)) {
            if (now.contains(node)) continue;
            if (pending.isEmpty()) pending = new ArrayList<>();
            pending.add(node);
        }
        return pending;
    }

    /**
     * The ranges between consecutive tokens of both rings together: within each, both rings' preference
     * lists are constant (those at its end token), so a move can be planned range by range.
     */
    public static List<TokenRange> commonRanges(Ring a, Ring b) {
        SortedSet<Long> tokens = new TreeSet<>();
        for (long t : a.tokens) tokens.add(t);
        for (long t : b.tokens) tokens.add(t);
        List<TokenRange> ranges = new ArrayList<>(tokens.size());
        long previous = tokens.isEmpty() ? 0 : tokens.last();
        for (long t : tokens) {
            ranges.add(new TokenRange(previous, t));
            previous = t;
        }
        return ranges;
    }

    /** The first N distinct nodes clockwise from {@code position}, as an unmodifiable list. */
    public List<Integer> preferenceListAt(long position, int replicationFactor) {
        if (tokens.length == 0 || replicationFactor < 1) return List.of();
        int range = firstTokenAtOrAfter(position);
        ListsByRange known = lists;
        if (known == null || known.replicationFactor != replicationFactor) {
            known = new ListsByRange(replicationFactor, tokens.length);
            lists = known;
        }
        List<Integer> list = known.byRange[range];
        if (list == null) {
            list = walkFrom(range, Math.min(replicationFactor, nodes.size()));
            known.byRange[range] = list;
        }
        return list;
    }

    /** The first {@code wanted} distinct owners from token {@code start} on, clockwise. */
    private List<Integer> walkFrom(int start, int wanted) {
        List<Integer> list = new ArrayList<>(wanted);
        for (int step = 0; step < tokens.length && list.size() < wanted; step++) {
            int owner = owners[(start + step) % tokens.length];
            if (!list.contains(owner)) list.add(owner);
        }
        return List.copyOf(list);
    }

    private int firstTokenAtOrAfter(long position) {
        int index = Arrays.binarySearch(tokens, position);
        if (index < 0) index = -index - 1;
        return index == tokens.length ? 0 : index;
    }

    /**
     * The share of the hash space each node holds a replica of, with replication factor N: for each
     * range between consecutive tokens, its length counts for every node of its preference list. The
     * shares sum to min(N, nodes).
     */
    public Map<Integer, Double> ownership(int replicationFactor) {
        Map<Integer, Double> shares = new HashMap<>();
        for (int node : nodes) shares.put(node, 0.0);
        if (tokens.length == 0) return shares;
        for (int i = 0; i < tokens.length; i++) {
            long previous = tokens[(i + tokens.length - 1) % tokens.length];
            double length = rangeLength(previous, tokens[i]);
            for (int node : preferenceListAt(tokens[i], replicationFactor)) shares.merge(node, length, Double::sum);
        }
        return shares;
    }

    /** The fraction of the ring in (from, to], wrapping; a single-token ring owns all of it. */
    private double rangeLength(long from, long to) {
        long span = to - from; // wraps correctly in two's complement
        if (span == 0) return 1.0;
        return unsignedToDouble(span) / 0x1p64;
    }

    private static double unsignedToDouble(long value) {
        double high = (double) (value >>> 1) * 2.0;
        return high + (value & 1);
    }
}
