package memdb.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks {@code Authorization: Bearer <key>} in constant time against the keys the admin API accepts (the
 * node key, the client key or either: {@code admin-key}). Both sides are hashed (SHA-256) before
 * {@link MessageDigest#isEqual}, so that not even the key's length leaks through timing; every accepted key
 * is compared. The keys are kept only as digests, and neither is ever logged or echoed.
 */
final class BearerAuth {
    static final String WRONG_KEY = "wrong auth key";
    private static final String SCHEME = "Bearer ";

    private final List<byte[]> expectedDigests;

    BearerAuth(String authKey) {
        this(List.of(authKey == null ? "" : authKey));
    }

    BearerAuth(List<String> acceptedKeys) {
        if (acceptedKeys.isEmpty() || acceptedKeys.stream().anyMatch(k -> k == null || k.isEmpty())) {
            throw new IllegalArgumentException("the admin API needs an auth key");
        }
        this.expectedDigests = acceptedKeys.stream().map(BearerAuth::sha256).toList();
    }

    /** Null when {@code authorization} (the header's value, or null) carries the key; else why not, for a 401. */
    String refusal(String authorization) {
        if (authorization == null) return "missing Authorization header: use Authorization: Bearer <auth key>";
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return "the Authorization header must be Bearer <auth key>";
        }
        byte[] presented = sha256(authorization.substring(SCHEME.length()).trim());
        boolean accepted = false;
        for (byte[] expected : expectedDigests) accepted |= MessageDigest.isEqual(expected, presented);
        return accepted ? null : WRONG_KEY;
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
