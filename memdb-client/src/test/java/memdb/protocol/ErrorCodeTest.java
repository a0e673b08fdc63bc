package memdb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The error-code table (docs/protocol.md §6) and its two-way mapping to exceptions. */
class ErrorCodeTest {
    /** The wire values are a contract: pinned here so that a renumbering fails loudly. */
    static final Map<ErrorCode, Integer> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(ErrorCode.MALFORMED_FRAME, 1);
        TABLE.put(ErrorCode.UNSUPPORTED_VERSION, 2);
        TABLE.put(ErrorCode.UNKNOWN_OPCODE, 3);
        TABLE.put(ErrorCode.FRAME_TOO_LARGE, 4);
        TABLE.put(ErrorCode.AUTH_REQUIRED, 10);
        TABLE.put(ErrorCode.AUTH_FAILED, 11);
        TABLE.put(ErrorCode.FORBIDDEN, 12);
        TABLE.put(ErrorCode.TLS_REQUIRED, 13);
        TABLE.put(ErrorCode.INVALID_ARGUMENT, 20);
        TABLE.put(ErrorCode.KEY_TOO_LONG, 21);
        TABLE.put(ErrorCode.VALUE_TOO_LARGE, 22);
        TABLE.put(ErrorCode.WRONG_TYPE, 23);
        TABLE.put(ErrorCode.UNAVAILABLE, 30);
        TABLE.put(ErrorCode.TIMEOUT, 31);
        TABLE.put(ErrorCode.OVERLOADED, 32);
        TABLE.put(ErrorCode.OUT_OF_MEMORY, 33);
        TABLE.put(ErrorCode.SHUTTING_DOWN, 34);
        TABLE.put(ErrorCode.UNKNOWN_OUTCOME, 40);
        TABLE.put(ErrorCode.INTERNAL, 50);
        TABLE.put(ErrorCode.STORAGE, 51);
    }

    @Test
    void wireValuesAreThePinnedTable() {
        assertEquals(Set.of(ErrorCode.values()), TABLE.keySet(), "a new code needs a row here and in docs/protocol.md");
        TABLE.forEach((code, wire) -> assertEquals(wire, code.code(), code::name));
        assertEquals(ErrorCode.values().length, Arrays.stream(ErrorCode.values()).map(ErrorCode::code).distinct().count());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void codeToExceptionToCode(ErrorCode code) {
        assertSame(code, ErrorCode.fromWire(code.code()));
        MemDbException e = code.exception("one sentence");
        assertSame(code.kind().exceptionType(), e.getClass());
        assertSame(code, e.code());
        assertEquals("one sentence", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void errorResponseToExceptionAndBackThroughTheWire(ErrorCode code) {
        MemDbException original = code.exception("why it failed");
        Envelope sent = Envelope.response(Opcode.GET, 77, 5, Responses.Error.of(original));
        var received = (Responses.Error) Samples.decodeFrame(Samples.encode(sent)).message();
        MemDbException thrown = received.toException();
        assertSame(original.getClass(), thrown.getClass());
        assertSame(code, thrown.code());
        assertEquals("why it failed", thrown.getMessage());
    }

    @Test
    void everyExceptionClassStandsForAtLeastOneCodeAndEachKindForOneClass() {
        Set<Class<?>> mapped = Arrays.stream(ErrorCode.values()).map(c -> c.kind().exceptionType()).collect(Collectors.toSet());
        Set<Class<?>> permitted = new HashSet<>(Arrays.asList(MemDbException.class.getPermittedSubclasses()));
        assertEquals(permitted, mapped, "every MemDbException subclass is reachable from a wire code and vice versa");
        assertEquals(ErrorCode.Kind.values().length,
                Arrays.stream(ErrorCode.Kind.values()).map(ErrorCode.Kind::exceptionType).distinct().count());
    }

    @Test
    void framingCodesAreExactlyTheProtocolKind() {
        Set<ErrorCode> protocol = Arrays.stream(ErrorCode.values())
                .filter(c -> c.kind() == ErrorCode.Kind.PROTOCOL).collect(Collectors.toSet());
        assertEquals(Set.of(ErrorCode.MALFORMED_FRAME, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.UNKNOWN_OPCODE,
                ErrorCode.FRAME_TOO_LARGE), protocol);
    }

    @Test
    void unknownWireValuesReadAsInternal() {
        for (int wire : new int[] {-1, 0, 5, 14, 63, 64, 1000, 0xFFFF}) {
            assertSame(ErrorCode.INTERNAL, ErrorCode.fromWire(wire));
        }
    }

    @Test
    void protocolExceptionsFromTheWireNameNoRequest() {
        var e = (ProtocolException) ErrorCode.MALFORMED_FRAME.exception("bad");
        assertEquals(ProtocolException.NO_REQUEST_ID, e.requestId());
        assertTrue(!e.hasRequestId());
    }
}
