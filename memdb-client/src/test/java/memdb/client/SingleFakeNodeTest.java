package memdb.client;

import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;

/**
 * The fixture of client tests against one {@link FakeNode} (id 1, auth key {@link FakeCluster#AUTH_KEY}): a node
 * and a client of it, made for each test and closed after it, the client first.
 */
abstract class SingleFakeNodeTest {
    final FakeNode node = new FakeNode(FakeCluster.AUTH_KEY, 1);
    final MemDb db;

    /** A client with one connection to the node (no ring). */
    SingleFakeNodeTest() {
        this(node -> MemDbConnections.single("127.0.0.1", node.port(), FakeCluster.AUTH_KEY));
    }

    /** A client that {@code connect} makes for the node. */
    SingleFakeNodeTest(Function<FakeNode, MemDb> connect) {
        db = connect.apply(node);
    }

    @AfterEach
    void closeClientThenNode() {
        db.close();
        node.close();
    }
}
