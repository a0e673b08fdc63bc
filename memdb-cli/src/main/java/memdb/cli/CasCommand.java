package memdb.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import memdb.client.MemDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memdb cas KEY EXPECTED NEW} and {@code memdb cas KEY --absent NEW}: a linearizable
 * compare-and-set (docs/cas.md). Prints true and exits 0 when swapped; prints false and exits 1 when the
 * key did not hold the expectation (DESIGN §8: "CAS mismatch"); an unknown outcome is an error, exit 3.
 */
@Command(name = "cas", description = {"Set KEY to NEW if it holds EXPECTED (or, with --absent, no value): linearizable.",
        "Prints true (exit 0) when swapped, false (exit 1) when KEY did not hold the expectation; "
                + "exit 3 when unavailable or when the outcome is unknown (it may have been applied).",
        "raw and text: true or false; json: {\"key\",\"swapped\"}; table: KEY SWAPPED."})
final class CasCommand extends DataCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Parameters(index = "1..*", arity = "1..2", paramLabel = "VALUE", description = "EXPECTED NEW, or NEW with --absent.")
    List<String> values;

    @Option(names = "--absent", description = "Expect KEY to hold no value (then give only NEW).")
    boolean absent;

    @Override
    protected Reply run(MemDb db, Output output) {
        if (values.size() != (absent ? 1 : 2)) {
            throw new UserError(ExitCode.USAGE, absent ? "with --absent give only NEW: memdb cas KEY --absent NEW"
                    : "give EXPECTED and NEW: memdb cas KEY EXPECTED NEW (or memdb cas KEY --absent NEW)");
        }
        byte[] expected = absent ? null : values.get(0).getBytes(StandardCharsets.UTF_8);
        byte[] newValue = values.get(values.size() - 1).getBytes(StandardCharsets.UTF_8);
        boolean swapped = db.cas(key, expected, newValue);
        Map<String, Object> fields = jsonFor(key);
        fields.put("swapped", swapped);
        return Reply.of(fields).raw(Boolean.toString(swapped)).exitCode(swapped ? ExitCode.OK : ExitCode.NOT_FOUND);
    }
}
