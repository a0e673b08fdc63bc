package memdb.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A message body: what follows the frame header. Requests and responses are records in two sealed
 * families; each knows how to write its payload, and {@link Opcode} knows how to read it back.
 */
public sealed interface Message permits Request, Response {
    /** Writes the payload (not the header) to {@code out}. */
    void encode(ByteBuf out);
}
