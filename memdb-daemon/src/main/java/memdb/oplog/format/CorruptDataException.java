package memdb.oplog.format;

/**
 * Bytes that are not a valid record, header or block at {@code offset} (relative to the buffer the
 * decoder was given). The file layer turns this into a {@code LogCorruptionException} naming the file.
 */
public final class CorruptDataException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public CorruptDataException(long offset, String reason) {
        super(reason);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return getMessage();
    }
}
