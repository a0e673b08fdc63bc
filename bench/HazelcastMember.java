import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import java.util.Arrays;

/**
 * One Hazelcast member for bench/compare-hazelcast.sh (run as a single-file program, no build step:
 * {@code java -cp hazelcast-5.7.0.jar bench/HazelcastMember.java CLUSTER PORT MEMBERS}). It is a bench-only
 * tool: Hazelcast is in no pom, the script fetches its jar into ~/.m2.
 *
 * <pre>
 * CLUSTER   cluster name (the client must give the same one)
 * PORT      this member's port on 127.0.0.1 (no auto-increment)
 * MEMBERS   comma list host:port of every member (TCP/IP join; multicast and auto-detection off)
 * </pre>
 * Two maps, the two ways to keep 3 copies of an entry on 3 members (the default in-memory format, BINARY):
 * <ul>
 *   <li>{@code sync2}: backup-count 2. A write returns when the owner and both backups have applied it
 *       (3 of 3 copies acknowledged): stronger than MemDB's N=3 write QUORUM (2 of 3); the issue's
 *       "3 members and 2 backups".</li>
 *   <li>{@code sync1async1}: backup-count 1, async-backup-count 1. A write returns when the owner and
 *       one backup have applied it, the third copy follows without being waited for (2 of 3): the
 *       closest equivalent of MemDB's N=3 write QUORUM.</li>
 * </ul>
 * Reads go to the partition owner only (read-backup-data off, the default): one copy answers, like
 * MemDB's ONE read sent to a replica of the key; MemDB's QUORUM read asks two.
 * The member stops on SIGTERM (Hazelcast's shutdown hook).
 */
public final class HazelcastMember {
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: HazelcastMember CLUSTER PORT MEMBERS");
            System.exit(2);
        }
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "jdk");
        Config config = new Config().setClusterName(args[0]);
        NetworkConfig network = config.getNetworkConfig().setPort(Integer.parseInt(args[1])).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(Arrays.asList(args[2].split(",")));
        config.addMapConfig(new MapConfig("sync2").setBackupCount(2).setAsyncBackupCount(0));
        config.addMapConfig(new MapConfig("sync1async1").setBackupCount(1).setAsyncBackupCount(1));
        Hazelcast.newHazelcastInstance(config);
    }
}
