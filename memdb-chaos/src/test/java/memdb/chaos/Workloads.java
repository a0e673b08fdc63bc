package memdb.chaos;

import java.util.List;

/** The workload sets of the runs. */
final class Workloads {
    private Workloads() {}

    /** All four: CAS registers, unique appends, quorum writes, counters. */
    static List<Workload> all(String prefix) {
        return List.of(new CasRegisterWorkload(prefix, 2, 300, CasRegisterWorkload.UNKNOWNS_PER_KEY), new AppendWorkload(prefix, 60),
                new QuorumSetWorkload(prefix, 5, true), new CounterWorkload(prefix, 2));
    }

    /**
     * Under disk damage: quorum writes and counters only. A node whose log lost records may have lost
     * Paxos promises and accepts too, which no Paxos survives (it assumes acceptors keep what they
     * promised), so the CAS checkers would report a violation the store does not promise to avoid. For the
     * same reason no read-after-write check: a replica that lost a write breaks quorum intersection until
     * hints, read repair or anti-entropy bring it back (the final reads at ALL still must find every write).
     */
    static List<Workload> diskDamage(String prefix) {
        return List.of(new QuorumSetWorkload(prefix, 5, false), new CounterWorkload(prefix, 2));
    }
}
