package memdb.linearizability;

import java.util.List;
import java.util.Objects;

/**
 * The sequential specification of a compare-and-set register, as a pure step function (Porcupine's
 * {@code Model.Step}; Knossos' {@code Model/step}): given a state and an operation, the state after it,
 * or {@code null} if the operation's observed output is impossible from that state.
 *
 * <p>An operation with an unknown outcome accepts any output, so it always steps: a read leaves the
 * state alone, a write sets it, a cas swaps if its expectation holds. Because of that, an unknown
 * operation linearized after every other one is indistinguishable from one never applied — which is
 * why the checker may treat "not applied" as "applied at the very end".
 */
public final class RegisterModel {
    public static final RegisterState INITIAL = RegisterState.ABSENT;

    private RegisterModel() {}

    public static RegisterState step(RegisterState state, Operation operation) {
        return step(state, operation.input(), operation.output());
    }

    /** Whether every operation of {@code order}, stepped one after another from {@link #INITIAL}, is possible. */
    public static boolean accepts(List<Operation> order) {
        RegisterState state = INITIAL;
        for (Operation operation : order) {
            state = step(state, operation);
            if (state == null) {
                return false;
            }
        }
        return true;
    }

    /** @param output the observed output, or {@code null} if unknown */
    public static RegisterState step(RegisterState state, Input input, Output output) {
        if (input instanceof Input.Read) {
            return output == null || Objects.equals(((Output.ReadValue) output).value(), state.value()) ? state : null;
        }
        if (input instanceof Input.Write write) {
            return new RegisterState(write.value());
        }
        if (input instanceof Input.Cas cas) {
            return stepCas(state, cas, (Output.CasResult) output);
        }
        throw new IllegalStateException("unknown input kind: " + input);
    }

    private static RegisterState stepCas(RegisterState state, Input.Cas cas, Output.CasResult output) {
        boolean matches = Objects.equals(cas.expected(), state.value());
        if (output != null && output.swapped() != matches) {
            return null;
        }
        return matches ? new RegisterState(cas.newValue()) : state;
    }
}
