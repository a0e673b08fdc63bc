package memdb.node;

/**
 * A child JVM for NodeRunnerTest: applies a node process's defaults first, as {@code memdb server} does, then prints
 * whether Netty's buffers check their reference count on every access (its class's own flag, read by reflection:
 * Netty reads the property once, when the class initializes).
 */
public final class NettyDefaultsMain {
    private NettyDefaultsMain() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        NodeRunner.applyProcessDefaults();
        io.netty.buffer.Unpooled.buffer(1).release(); // initializes the buffer classes
        java.lang.reflect.Field flag = io.netty.buffer.AbstractByteBuf.class.getDeclaredField("checkAccessible");
        flag.setAccessible(true);
        System.out.println("checkAccessible=" + flag.getBoolean(null));
    }
}
