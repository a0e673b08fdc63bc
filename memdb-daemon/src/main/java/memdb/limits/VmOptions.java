package memdb.limits;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The running JVM's own options (HotSpot's, through its diagnostic bean), for the sizes the JVM decides and the
 * node must fit: its direct memory (max-memory's bound) and its G1 heap regions (the op log compactor's chunks).
 * Every reader falls back to a caller's default when the JVM does not say: not HotSpot, no such option, or no
 * jdk.management module.
 */
public final class VmOptions {
    private VmOptions() {}

    /** The option's value as a number, or {@code otherwise} when the JVM does not say. */
    public static long number(String name, long otherwise) {
        try {
            return Long.parseLong(bean().getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return otherwise;
        }
    }

    /** Whether the boolean option is on; false when the JVM does not say. */
    public static boolean isOn(String name) {
        try {
            return Boolean.parseBoolean(bean().getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static HotSpotDiagnosticMXBean bean() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    }
}
