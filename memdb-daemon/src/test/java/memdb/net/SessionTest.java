package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Message;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
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
        assertEquals(new Session.Forward(get), session.admit(get));
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
}
