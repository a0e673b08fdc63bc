package memdb.node;

import java.util.HashMap;
import java.util.Map;

/** What {@code memdb server} does, for a test that runs it in a child JVM: {@code --key=value} flags. */
public final class ForegroundMain {
    public static void main(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            String[] parts = arg.substring(2).split("=", 2);
            flags.put(parts[0], parts[1]);
        }
        NodeRunner.runForeground(ServerConfig.resolve(flags, System.getenv(), null));
    }
}
