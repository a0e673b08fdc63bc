package memdb.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import memdb.protocol.Member;

/**
 * The members a node knew, kept in its data directory ({@code cluster.state}), so that a node that
 * restarts knows the ring at once instead of coordinating on a ring of itself until gossip reaches it
 * (which would let it acknowledge a QUORUM write alone). Rewritten atomically (temporary file, fsync,
 * rename, fsync of the directory) whenever the ring changes.
 *
 * <p>Format, one line each: {@code memdb-cluster-state 1 <ringVersion>}, then
 * {@code member <id> <host> <port> <NORMAL|LEFT>}. A file that does not parse is refused with its line.
 */
public final class ClusterStateFile {
    static final String FILE_NAME = "cluster.state";
    private static final String HEADER = "memdb-cluster-state 1";

    private ClusterStateFile() {}

    /** The members recorded in {@code dataDir}, or none when there is no file yet. */
    public static List<Member> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) return List.of();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) throw bad(file, 1, "missing header");
            List<Member> members = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split(" ");
                if (f.length != 5 || !f[0].equals("member")) throw bad(file, i + 1, "expected: member ID HOST PORT STATUS");
                try {
                    members.add(new Member(Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), 0, 0,
                            Member.Status.valueOf(f[4]), false));
                } catch (IllegalArgumentException e) {
                    throw bad(file, i + 1, e.getMessage());
                }
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code members} durably, replacing the previous file in one step. */
    public static void write(Path dataDir, long ringVersion, List<Member> members) {
        StringBuilder text = new StringBuilder(HEADER).append(' ').append(ringVersion).append('\n');
        for (Member m : members) {
            text.append("member ").append(m.nodeId()).append(' ').append(m.host()).append(' ').append(m.port())
                    .append(' ').append(m.status()).append('\n');
        }
        Path file = dataDir.resolve(FILE_NAME);
        Path temporary = dataDir.resolve(FILE_NAME + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dataDir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static IOException bad(Path file, int line, String reason) {
        return new IOException(file + " line " + line + " is damaged: " + reason);
    }
}
