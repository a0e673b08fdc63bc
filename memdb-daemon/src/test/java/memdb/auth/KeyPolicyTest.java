package memdb.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import memdb.protocol.Opcode;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {
    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachKeyGrantsItsRoleAndAWrongKeyNone() {
        KeyPolicy keys = new KeyPolicy("client-secret", "node-secret");
        assertEquals(KeyPolicy.Role.CLIENT, keys.roleOf(bytes("client-secret")));
        assertEquals(KeyPolicy.Role.NODE, keys.roleOf(bytes("node-secret")));
        for (String wrong : new String[] {"", "client-secre", "node-secret ", "NODE-SECRET"}) assertNull(keys.roleOf(bytes(wrong)));
        assertTrue(keys.separateKeys());
    }

    @Test
    void withOneKeyThatKeyIsANodeKey() {
        KeyPolicy keys = KeyPolicy.single("k");
        assertEquals(KeyPolicy.Role.NODE, keys.roleOf(bytes("k")));
        assertFalse(keys.separateKeys());
        for (Opcode opcode : Opcode.values()) assertTrue(KeyPolicy.allows(keys.roleOf(bytes("k")), opcode));
    }

    @Test
    void theClientKeyMaySendExactlyTheClientOpcodes() {
        Set<Opcode> client = EnumSet.of(Opcode.AUTH, Opcode.PING, Opcode.GET, Opcode.SET, Opcode.DELETE, Opcode.CONTAINS,
                Opcode.COUNTER_ADD, Opcode.COUNTER_GET, Opcode.CAS, Opcode.SERIAL_GET, Opcode.CLUSTER_INFO);
        for (Opcode opcode : Opcode.values()) {
            assertEquals(client.contains(opcode), KeyPolicy.allows(KeyPolicy.Role.CLIENT, opcode), opcode.toString());
            assertTrue(KeyPolicy.allows(KeyPolicy.Role.NODE, opcode), opcode.toString());
        }
        for (Opcode nodeOnly : EnumSet.of(Opcode.REPLICA_WRITE, Opcode.REPLICA_READ, Opcode.HINTS, Opcode.GOSSIP,
                Opcode.STREAM_PULL, Opcode.STREAM_PUSH, Opcode.PAXOS_PREPARE, Opcode.PAXOS_PROPOSE, Opcode.PAXOS_COMMIT,
                Opcode.REPAIR_PUSH, Opcode.KILL, Opcode.LEAVE)) {
            assertTrue(KeyPolicy.nodeOnly(nodeOnly), nodeOnly.toString());
        }
    }

    @Test
    void keysAreNeitherEmptyNorShown() {
        assertThrows(IllegalArgumentException.class, () -> new KeyPolicy("", "n"));
        assertThrows(IllegalArgumentException.class, () -> new KeyPolicy("c", null));
        String text = new KeyPolicy("client-secret", "node-secret").toString();
        assertFalse(text.contains("client-secret") || text.contains("node-secret"), text);
    }
}
