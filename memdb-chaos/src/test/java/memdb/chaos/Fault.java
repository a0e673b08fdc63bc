package memdb.chaos;

/** The nemesis's faults (docs/reliability.md, "Fault harness"). */
enum Fault {
    /** SIGKILL one node, restart it a moment later. */
    KILL("kill -9 + restart"),
    /** SIGKILL every node at once, restart them all (clients start afresh, as after an outage). */
    KILL_ALL("kill -9 all + restart"),
    /** SIGSTOP one node for a few seconds, then SIGCONT. */
    PAUSE("SIGSTOP/SIGCONT"),
    /** The nodes split in two halves (the smaller side a minority). */
    PARTITION_HALVES("partition: halves"),
    /** One node cut off from every other node. */
    PARTITION_ONE("partition: one isolated"),
    /** Two sides that cannot talk, and one node in the middle that talks to both. */
    PARTITION_BRIDGE("partition: bridge"),
    /** One node cut off by a black hole: its connections accept bytes and lose them. */
    BLACK_HOLE("black hole: one isolated"),
    /** Every chunk of bytes between nodes waits 20-150 ms. */
    DELAY("delay"),
    /** Connections between nodes lost at random (5% of the chunks close theirs). */
    LOSS("loss"),
    /** One node restarted with its wall clock hours off (libfaketime). */
    CLOCK_SKEW("clock skew (libfaketime)"),
    /** A stopped node's log loses its last bytes (a torn tail, truncated at boot). */
    LOG_TRUNCATE("log tail truncated"),
    /** A stopped node's log gets one bit flipped mid-file (boot refuses; restarted with --force-recover). */
    LOG_BITFLIP("log bit flipped");

    final String title;

    Fault(String title) {
        this.title = title;
    }
}
