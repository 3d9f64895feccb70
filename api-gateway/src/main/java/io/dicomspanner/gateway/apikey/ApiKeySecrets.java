package io.dicomspanner.gateway.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Making and checking API keys. A key is {@code dqs_} and 256 random bits in base64url; it is stored as its SHA-256
 * hash, which is enough for a secret of that entropy (a slow password hash protects guessable secrets, and nobody
 * guesses 256 random bits).
 */
final class ApiKeySecrets {

    static final String PREFIX = "dqs_";
    private static final int KEY_BYTES = 32;
    private static final int LOOKUP_ID_BYTES = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {}

    static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The index key that finds a stored hash's row; it gives away 64 bits of a hash, nothing of the key. */
    static String lookupId(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, LOOKUP_ID_BYTES);
    }

    /** Compares in time independent of where the hashes differ. */
    static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
