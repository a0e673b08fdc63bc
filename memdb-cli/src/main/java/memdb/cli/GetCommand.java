package memdb.cli;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import memdb.client.MemDb;
import memdb.client.QuorumResponse;
import memdb.client.QuorumResult;
import memdb.protocol.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = {"Print the value of KEY and a newline (exit 1 when absent; -n: no newline).",
    "raw: the value byte for byte; text: control and non-UTF-8 bytes escaped as \\xNN; "
            + "json: {\"key\",\"found\",\"value\" or \"value_base64\"}; table: KEY FOUND VALUE."})
final class GetCommand extends DataCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Option(names = "--quorum", paramLabel = "N",
            description = "Ask the key's replicas directly and answer the newest of the first N answers.")
    Integer quorum;

    @Option(names = "--base64", description = "In JSON, give the value as value_base64 (needed for a value that is not UTF-8).")
    boolean base64;

    @Option(names = {"-n", "--no-newline"},
            description = "Raw output: no newline after the value, so that > FILE holds exactly the value's bytes.")
    boolean noNewline;

    @Option(names = "--serial", description = "A read linearizable with cas (a Paxos round over the key's replicas).")
    boolean serial;

    @Override
    protected Reply run(MemDb db, Output output) {
        if (serial && (quorum != null || consistency.level != memdb.protocol.Consistency.DEFAULT)) {
            throw new UserError(ExitCode.USAGE, "--serial cannot be combined with --quorum or --consistency");
        }
        consistency.refuseWithQuorum(quorum);
        byte[] value = serial ? db.serialGetBytes(key) : quorum == null ? db.getBytes(key, consistency.level) : quorumRead(db);
        Map<String, Object> fields = jsonFor(key);
        fields.put("found", value != null);
        if (value == null) return Reply.of(fields).failure("key '" + key + "' not found", ExitCode.NOT_FOUND);
        if (output.json()) Json.putValue(fields, key, value, base64);
        else fields.put("value", Values.printable(value, false));
        Reply reply = Reply.of(fields).raw(value);
        return noNewline ? reply.rawWithoutNewline() : reply;
    }

    private byte[] quorumRead(MemDb db) {
        QuorumResponse<byte[]> response = db.quorumGetBytes(key);
        if (quorum < 1 || quorum > response.replicaCount()) {
            throw new UserError(ExitCode.USAGE, "--quorum must be 1.." + response.replicaCount() + " (the key's replicas)");
        }
        Optional<QuorumResult<byte[]>> result = response.await(quorum, client.timeoutMs, TimeUnit.MILLISECONDS);
        return result.orElseThrow(() -> ErrorCode.UNAVAILABLE.exception("fewer than " + quorum + " of the key's "
                + response.replicaCount() + " replicas answered within " + client.timeoutMs + " ms")).mostUptoDateResponse();
    }
}
