package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import memdb.auth.KeyPolicy;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Message;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final Session session = new Session("the-key", 4, "1.2.3");

    private static Requests.Auth auth(String key) {
        return new Requests.Auth(key.getBytes(StandardCharsets.UTF_8));
    }

    private Session.Answer answer(Message message) {
        return assertInstanceOf(Session.Answer.class, session.admit(message));
    }

    private static ErrorCode errorCode(Session.Answer answer) {
        return assertInstanceOf(Responses.Error.class, answer.response()).code();
    }

    @Test
    void nothingButAuthIsServedBeforeAuthentication() {
        Session.Answer refused = answer(new Requests.Ping());
        assertEquals(ErrorCode.AUTH_REQUIRED, errorCode(refused));
        assertFalse(refused.thenClose());
        assertEquals(ErrorCode.AUTH_REQUIRED, errorCode(answer(new Requests.Get(Key.of("k"), Consistency.ONE))));
    }

    @Test
    void theRightKeyAuthenticatesAndLaterRequestsAreForwarded() {
        Session.Answer accepted = answer(auth("the-key"));
        assertEquals(new Responses.Authenticated(4, "1.2.3"), accepted.response());
        assertFalse(accepted.thenClose());
        assertTrue(session.isAuthenticated());
        Requests.Get get = new Requests.Get(Key.of("k"), Consistency.ONE);
        assertEquals(Session.Forward.REQUEST, session.admit(get));
    }

    @Test
    void aWrongKeyFailsAndClosesTheConnection() {
        for (String wrong : new String[] {"the-kez", "the-key ", "", "the-ke"}) {
            Session fresh = new Session("the-key", 4, "1.2.3");
            Session.Answer answer = assertInstanceOf(Session.Answer.class, fresh.admit(auth(wrong)));
            assertEquals(ErrorCode.AUTH_FAILED, errorCode(answer));
            assertTrue(answer.thenClose());
            assertFalse(fresh.isAuthenticated());
        }
    }

    @Test
    void aWrongKeyAfterARightOneUnauthenticates() {
        answer(auth("the-key"));
        assertTrue(answer(auth("other")).thenClose());
        assertFalse(session.isAuthenticated());
    }

    @Test
    void aResponseSentByAClientIsMalformedAndCloses() {
        answer(auth("the-key"));
        Session.Answer answer = answer(new Responses.Ok());
        assertEquals(ErrorCode.MALFORMED_FRAME, errorCode(answer));
        assertTrue(answer.thenClose());
    }

    private static Session twoKeys(boolean nodeKeyNeedsCertificate, boolean certified) {
        return new Session(new KeyPolicy("client-key", "node-key"), nodeKeyNeedsCertificate, () -> certified, 4, "1.2.3");
    }

    @Test
    void theClientKeyIsForbiddenNodeOnlyMessagesAndTheConnectionStaysOpen() {
        Session client = twoKeys(false, false);
        client.admit(auth("client-key"));
        assertEquals(KeyPolicy.Role.CLIENT, client.role());
        Requests.Get get = new Requests.Get(Key.of("k"), Consistency.ONE);
        assertEquals(Session.Forward.REQUEST, client.admit(get));
        Session.Answer refused = assertInstanceOf(Session.Answer.class,
                client.admit(new ClusterRequests.ReplicaWrite(Key.of("k"), false, new Timestamp(1, 1), new byte[] {1})));
        assertEquals(ErrorCode.FORBIDDEN, errorCode(refused));
        assertFalse(refused.thenClose());
        String message = ((Responses.Error) refused.response()).message();
        assertTrue(message.contains("REPLICA_WRITE") && message.contains("node key"), message);
        assertFalse(message.contains("client-key") || message.contains("node-key"), "no key in a message: " + message);
        assertEquals(Session.Forward.REQUEST, client.admit(new Requests.Ping()));
    }

    @Test
    void theNodeKeyMaySendNodeOnlyMessages() {
        Session node = twoKeys(false, false);
        node.admit(auth("node-key"));
        ClusterRequests.Kill kill = new ClusterRequests.Kill();
        assertEquals(Session.Forward.REQUEST, node.admit(kill));
    }

    @Test
    void withMutualTlsTheNodeKeyNeedsAVerifiedCertificate() {
        Session uncertified = twoKeys(true, false);
        Session.Answer refused = assertInstanceOf(Session.Answer.class, uncertified.admit(auth("node-key")));
        assertEquals(ErrorCode.AUTH_FAILED, errorCode(refused));
        assertTrue(refused.thenClose());
        Session certified = twoKeys(true, true);
        certified.admit(auth("node-key"));
        assertEquals(KeyPolicy.Role.NODE, certified.role());
        Session client = twoKeys(true, false);
        client.admit(auth("client-key"));
        assertEquals(KeyPolicy.Role.CLIENT, client.role(), "clients need no certificate");
    }

    @Test
    void withMutualTlsAndOneKeyAConnectionWithoutACertificateIsAClient() {
        Session oneKey = new Session(KeyPolicy.single("the-key"), true, Session.NO_CERTIFICATE, 4, "1.2.3");
        oneKey.admit(auth("the-key"));
        assertEquals(KeyPolicy.Role.CLIENT, oneKey.role());
        assertEquals(ErrorCode.FORBIDDEN, errorCode(assertInstanceOf(Session.Answer.class,
                oneKey.admit(new ClusterRequests.Kill()))));
    }
}
