package memdb.ring;

/**
 * A range of the ring, (start, end] in token order, wrapping past the largest token; start == end is the
 * whole ring (a ring of one token). The unit that joins and leaves stream (issue 5).
 */
public record TokenRange(long start, long end) {
    /** Whether a ring position falls in this range. */
    public boolean contains(long position) {
        if (start == end) return true;
        if (start < end) return position > start && position <= end;
        return position > start || position <= end;
    }
}
