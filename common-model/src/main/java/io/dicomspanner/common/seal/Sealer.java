package io.dicomspanner.common.seal;

import io.dicomspanner.common.seal.SealRejectedException.Reason;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM sealing of the values the services store or send that can hold PHI. A sealed value is
 *
 * <pre>
 * version (1 byte, {@value #VERSION}) | key id (4 bytes, {@link DataKey#id}) | nonce (12 random bytes)
 *     | ciphertext | tag (16 bytes)
 * </pre>
 *
 * and the first 17 bytes (version, key id, nonce) are authenticated with it, so that neither can be changed unnoticed.
 * Sealing always uses the current key; opening accepts the current and the previous key (a rotation), chosen by the key
 * id. A random 96-bit nonce per value keeps the chance of a repeat negligible for far more values than one key seals
 * before it is rotated.
 *
 * <p>Immutable and thread-safe; does no I/O. Each thread keeps one {@link Cipher} and one nonce generator of its own:
 * a cipher re-initialised with the key it last used skips the AES key expansion, and a per-thread DRBG gives nonces
 * without a system call or a lock shared by every thread (both showed in profiles of the services under load).
 */
public final class Sealer {

    /** The format version written first in every sealed value. */
    public static final byte VERSION = 1;

    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int HEADER_BYTES = 1 + DataKey.ID_BYTES + NONCE_BYTES;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** A NIST SP 800-90A DRBG per thread, seeded from the platform's entropy source. */
    private static final ThreadLocal<SecureRandom> NONCES = ThreadLocal.withInitial(Sealer::newNonceSource);

    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(Sealer::newCipher);

    private final DataKey current;
    private final DataKey previous;

    /**
     * @param current seals every value, and opens those sealed with it
     * @param previous opens values sealed before a rotation; null when there is none
     */
    public Sealer(DataKey current, DataKey previous) {
        this.current = Objects.requireNonNull(current, "current");
        this.previous = previous;
        newCipher(); // fail at construction, not at the first value, if the platform lacks AES-GCM or the DRBG
        newNonceSource();
    }

    /** Seals with this key only. */
    public static Sealer withKey(DataKey current) {
        return new Sealer(current, null);
    }

    public DataKey currentKey() {
        return current;
    }

    /** The sealed form of {@code plain}: {@value #HEADER_BYTES} header bytes, the ciphertext and the tag. */
    public byte[] seal(byte[] plain) {
        byte[] sealed = new byte[HEADER_BYTES + plain.length + TAG_BYTES];
        sealed[0] = VERSION;
        System.arraycopy(current.idBytes(), 0, sealed, 1, DataKey.ID_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        NONCES.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, 1 + DataKey.ID_BYTES, NONCE_BYTES);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(sealed, 0, HEADER_BYTES);
            cipher.doFinal(plain, 0, plain.length, sealed, HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return sealed;
    }

    /**
     * The plain bytes of a value {@link #seal}ed with the current or the previous key.
     *
     * @throws SealRejectedException when the value is malformed, of another version, of an unknown key or tampered with
     */
    public byte[] open(byte[] sealed) {
        if (sealed == null || sealed.length < HEADER_BYTES + TAG_BYTES) {
            throw new SealRejectedException(
                    Reason.MALFORMED,
                    "sealed value too short: " + (sealed == null ? 0 : sealed.length) + " bytes, at least "
                            + (HEADER_BYTES + TAG_BYTES) + " expected");
        }
        if (sealed[0] != VERSION) {
            throw new SealRejectedException(
                    Reason.UNKNOWN_VERSION,
                    "sealed value of format version " + (sealed[0] & 0xff) + ", not " + VERSION);
        }
        DataKey key = keyOf(sealed);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key.spec(),
                    new GCMParameterSpec(TAG_BYTES * 8, sealed, 1 + DataKey.ID_BYTES, NONCE_BYTES));
            cipher.updateAAD(sealed, 0, HEADER_BYTES);
            return cipher.doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealRejectedException(Reason.TAMPERED, "sealed value does not verify under key " + key.id());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
    }

    private DataKey keyOf(byte[] sealed) {
        byte[] id = Arrays.copyOfRange(sealed, 1, 1 + DataKey.ID_BYTES);
        if (Arrays.equals(id, current.idBytes())) {
            return current;
        }
        if (previous != null && Arrays.equals(id, previous.idBytes())) {
            return previous;
        }
        throw new SealRejectedException(
                Reason.UNKNOWN_KEY,
                "sealed value under key " + java.util.HexFormat.of().formatHex(id) + ", which is neither the current ("
                        + current.id() + ") nor the previous key (" + (previous == null ? "none" : previous.id())
                        + ")");
    }

    private static SecureRandom newNonceSource() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the DRBG SecureRandom is missing from this Java runtime", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is missing from this Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "Sealer[current=" + current.id() + ", previous=" + (previous == null ? "none" : previous.id()) + "]";
    }
}
