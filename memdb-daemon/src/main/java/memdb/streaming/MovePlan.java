package memdb.streaming;

import java.util.ArrayList;
import java.util.List;
import memdb.ring.Ring;
import memdb.ring.TokenRange;

/**
 * What a join or a leave must stream, range by range (issue 5 items 1 and 2), from the current ring
 * (where the data is) and the future ring (where it goes). Pure.
 *
 * <ul>
 *   <li>Join: each range the joining node replicates in the future ring but not now is pulled from every
 *       current replica of it. Pulling from all of them, not one, is what makes the move safe: an
 *       acknowledged QUORUM write may be missing on any one replica, and the replica that gives the range
 *       up may be the one that held it.
 *   <li>Leave: each range the leaving node replicates now is pushed to each of its new replicas (those in
 *       the future preference list and not in the current one).
 * </ul>
 */
public final class MovePlan {
    /** One transfer: a range and the peer it comes from (join) or goes to (leave). */
    public record Transfer(TokenRange range, int peer) {}

    private MovePlan() {}

    public static List<Transfer> join(int self, Ring current, Ring future, int replicationFactor) {
        List<Transfer> transfers = new ArrayList<>();
        for (TokenRange range : Ring.commonRanges(current, future)) {
            List<Integer> now = current.preferenceListAt(range.end(), replicationFactor);
            if (now.contains(self) || !future.preferenceListAt(range.end(), replicationFactor).contains(self)) continue;
            for (int source : now) transfers.add(new Transfer(range, source));
        }
        return transfers;
    }

    public static List<Transfer> leave(int self, Ring current, Ring future, int replicationFactor) {
        List<Transfer> transfers = new ArrayList<>();
        for (TokenRange range : Ring.commonRanges(current, future)) {
            List<Integer> now = current.preferenceListAt(range.end(), replicationFactor);
            if (!now.contains(self)) continue;
            for (int target : future.preferenceListAt(range.end(), replicationFactor)) {
                if (!now.contains(target)) transfers.add(new Transfer(range, target));
            }
        }
        return transfers;
    }
}
