package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The limits keys of issue 9: max-memory's sizes and default, max-key-bytes, max-pending-per-connection. */
class LimitsConfigTest {
    private static LimitsConfig limits(Map<String, String> flags) {
        return new ConfigResolver(null, "/home/ann").resolve(flags, Map.of(), null).limits();
    }

    @Test
    void defaultsAreHalfTheHeapTheProtocolsKeyLimitAnd1024Pending() {
        LimitsConfig defaults = limits(Map.of());
        assertEquals(Runtime.getRuntime().maxMemory() / 2, defaults.memoryMaxBytes());
        assertEquals(1024, defaults.keyBytesMax());
        assertEquals(1024, defaults.pendingPerConnectionMax());
        assertEquals(LimitsConfig.defaults(), defaults);
    }

    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "512mb, 536870912", "512MB, 536870912", "512m, 536870912", "2g, 2147483648",
        "64k, 65536", "64 kb, 65536", "3b, 3"})
    void maxMemoryTakesBytesOrASizeWithAUnit(String text, long bytes) {
        assertEquals(bytes, limits(Map.of("max-memory", text)).memoryMaxBytes());
    }

    @ParameterizedTest
    @CsvSource({"max-memory, lots", "max-memory, 0", "max-memory, -5mb", "max-memory, 12tb", "max-memory, mb",
        "max-memory, 99999999999999999999", "max-key-bytes, 0", "max-key-bytes, 1025",
        "max-pending-per-connection, 0"})
    void aBadLimitIsRefusedNamingItsKey(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> limits(Map.of(key, value)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    /**
     * The data lives in direct memory: max-memory may take seven eighths of it, the default (half the max
     * heap, which is the direct memory's default size) always fits, and a node given more is refused at start.
     */
    @Test
    void maxMemoryMustFitInTheJvmsDirectMemory() {
        assertEquals(7L << 20, LimitsConfig.memoryMaxBytesAllowed(8L << 20));
        assertTrue(LimitsConfig.directMemoryMax() > 0);
        Node.requireMemoryFits(LimitsConfig.memoryMaxBytesDefault(), Runtime.getRuntime().maxMemory());
        Node.requireMemoryFits(7L << 20, 8L << 20);
        ConfigException e = assertThrows(ConfigException.class, () -> Node.requireMemoryFits((7L << 20) + 1, 8L << 20));
        assertTrue(e.getMessage().startsWith("max-memory 7340033 bytes does not fit in this JVM"), e.getMessage());
        assertTrue(e.getMessage().contains("-XX:MaxDirectMemorySize"), e.getMessage());
    }

    @Test
    void theValuesReachTheConfigAndAreWrittenBackAsTheyParse() {
        ServerConfig config = new ConfigResolver(null, "/home/ann").resolve(
                Map.of("max-memory", "1g", "max-key-bytes", "64", "max-pending-per-connection", "8"), Map.of(), null);
        assertEquals(new LimitsConfig(LimitsConfig.VALUE_BYTES_MAX_DEFAULT, LimitsConfig.FRAME_BYTES_MAX_DEFAULT,
                LimitsConfig.CONNECTIONS_MAX_DEFAULT, LimitsConfig.IDLE_TIMEOUT_MS_DEFAULT, 8, 1L << 30, 64), config.limits());
        assertEquals("1073741824", ConfigValues.raw(config, ConfigKey.MAX_MEMORY));
        assertEquals("64", ConfigValues.raw(config, ConfigKey.MAX_KEY_BYTES));
        assertEquals("8", ConfigValues.raw(config, ConfigKey.MAX_PENDING_PER_CONNECTION));
    }
}
