package memdb.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <auth key>} in constant time. Both sides are hashed (SHA-256)
 * before {@link MessageDigest#isEqual}, so that not even the key's length leaks through timing. The key
 * itself is kept only as its digest, and neither is ever logged or echoed.
 */
final class BearerAuth {
    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;

    BearerAuth(String authKey) {
        if (authKey == null || authKey.isEmpty()) throw new IllegalArgumentException("the admin API needs an auth key");
        this.expectedDigest = sha256(authKey);
    }

    /** Null when {@code authorization} (the header's value, or null) carries the key; else why not, for a 401. */
    String refusal(String authorization) {
        if (authorization == null) return "missing Authorization header: use Authorization: Bearer <auth key>";
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return "the Authorization header must be Bearer <auth key>";
        }
        byte[] presented = sha256(authorization.substring(SCHEME.length()).trim());
        return MessageDigest.isEqual(expectedDigest, presented) ? null : "wrong auth key";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerAuth[key hidden]";
    }
}
