package io.dicomspanner.common.seal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 data key and its id: the first 4 bytes of the SHA-256 of the key (8 hex digits), written into every value
 * sealed with it so that a reader picks the right key during a rotation without trying each. The id says which key,
 * not what it is: 32 bits of a hash reveal nothing usable of a 256-bit key.
 */
public final class DataKey {

    /** AES-256. */
    public static final int KEY_BYTES = 32;

    static final int ID_BYTES = 4;

    private final SecretKeySpec key;
    private final byte[] id;

    private DataKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("A data key must have " + KEY_BYTES + " bytes, has " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.id = Arrays.copyOf(sha256(key), ID_BYTES);
    }

    /** The key of these 32 bytes (copied). */
    public static DataKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        return new DataKey(Arrays.copyOf(key, key.length));
    }

    /**
     * The key written as base64 (standard or URL alphabet, padding optional), as {@code openssl rand -base64 32} prints
     * it.
     *
     * @throws IllegalArgumentException if the text is not base64 of exactly 32 bytes; the message never shows the text
     */
    public static DataKey ofBase64(String text) {
        Objects.requireNonNull(text, "text");
        String stripped = text.strip();
        byte[] decoded;
        try {
            decoded = stripped.indexOf('-') >= 0 || stripped.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(stripped)
                    : Base64.getDecoder().decode(stripped);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "A data key must be base64 of " + KEY_BYTES + " bytes; it is not base64");
        }
        return new DataKey(decoded);
    }

    /** The key's id, 8 lowercase hex digits. */
    public String id() {
        return HexFormat.of().formatHex(id);
    }

    byte[] idBytes() {
        return id;
    }

    SecretKeySpec spec() {
        return key;
    }

    private static byte[] sha256(byte[] key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "DataKey[" + id() + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataKey that && Arrays.equals(id, that.id) && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }
}
