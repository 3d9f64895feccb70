package io.dicomspanner.common.phi;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns patient-identifying values into keyed, irreversible tokens, so that logs, the query log and the audit trail
 * can say "the same patient again" without saying who.
 *
 * <p>A token is {@value #TOKEN_PREFIX} followed by the first 128 bits of HMAC-SHA256(secret, keyword NUL value),
 * base64url without padding (27 characters in all). The keyword is part of the input so that the same string as a
 * PatientID and as a PatientName gives different tokens. Values are normalised first the way DICOM compares them:
 * leading and trailing spaces are not significant, nor are trailing empty person-name components. Only someone who
 * holds the secret can compute the token of a known value (to search for it); nobody can reverse one. The prefix
 * names the scheme, so a later scheme (another hash, another normalisation) can live beside tokens already stored.
 *
 * <p>Immutable and thread-safe; does no I/O.
 */
public final class PhiTokenizer {

    /** The prefix of every token of this scheme. */
    public static final String TOKEN_PREFIX = "phi1:";

    /** The shortest secret accepted: the HMAC key is as strong as its secret, and SHA-256 has 32-byte blocks to fill. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int TOKEN_BYTES = 16;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    private PhiTokenizer(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "PHI token secret must have at least " + MIN_SECRET_BYTES + " bytes, has " + secret.length);
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
        newMac(); // fail at construction, not at the first value, if the platform lacks HmacSHA256
    }

    /** A tokenizer keyed by the UTF-8 bytes of {@code secret} (at least {@value #MIN_SECRET_BYTES} bytes). */
    public static PhiTokenizer withSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        return new PhiTokenizer(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A tokenizer keyed by {@code secret} (at least {@value #MIN_SECRET_BYTES} bytes; the array is copied). */
    public static PhiTokenizer withSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        return new PhiTokenizer(Arrays.copyOf(secret, secret.length));
    }

    /**
     * The token of one value of {@code attribute}; {@code null} stays {@code null} and a value that is empty after
     * normalisation stays {@code ""} (an empty query key asks for the attribute, it names nobody).
     */
    public String token(PhiAttribute attribute, String value) {
        Objects.requireNonNull(attribute, "attribute");
        if (value == null) {
            return null;
        }
        String normalised = normalise(attribute, value);
        if (normalised.isEmpty()) {
            return "";
        }
        Mac mac = newMac();
        mac.update(attribute.keyword().getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
        return TOKEN_PREFIX + BASE64URL.encodeToString(Arrays.copyOf(digest, TOKEN_BYTES));
    }

    public String patientId(String patientId) {
        return token(PhiAttribute.PATIENT_ID, patientId);
    }

    public String patientName(String patientName) {
        return token(PhiAttribute.PATIENT_NAME, patientName);
    }

    public String patientBirthDate(String patientBirthDate) {
        return token(PhiAttribute.PATIENT_BIRTH_DATE, patientBirthDate);
    }

    /**
     * Query filters (PS3.6 keyword to value) with every PHI value replaced by its token and everything else kept as
     * is, in the same order. A multi-valued filter ({@code A\B}, a list of UIDs or IDs) is tokenized value by value
     * and joined with a backslash again, so its shape stays visible.
     */
    public Map<String, String> tokenizeFilters(Map<String, String> filters) {
        Map<String, String> tokenized = new LinkedHashMap<>();
        filters.forEach((keyword, value) -> tokenized.put(
                keyword,
                PhiAttribute.ofKeyword(keyword)
                        .map(attribute -> tokenizeValues(attribute, value))
                        .orElse(value)));
        return tokenized;
    }

    /** Whether {@code text} has the shape of a token of this scheme. */
    public static boolean isToken(String text) {
        return text != null
                && text.length() == TOKEN_PREFIX.length() + 22
                && text.startsWith(TOKEN_PREFIX)
                && text.substring(TOKEN_PREFIX.length()).chars().allMatch(PhiTokenizer::isBase64Url);
    }

    private String tokenizeValues(PhiAttribute attribute, String value) {
        if (value == null || value.indexOf('\\') < 0) {
            return token(attribute, value);
        }
        String[] values = value.split("\\\\", -1);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                joined.append('\\');
            }
            joined.append(token(attribute, values[i]));
        }
        return joined.toString();
    }

    private static String normalise(PhiAttribute attribute, String value) {
        String stripped = value.strip();
        if (!attribute.isPersonName()) {
            return stripped;
        }
        int end = stripped.length();
        while (end > 0 && (stripped.charAt(end - 1) == '^' || stripped.charAt(end - 1) == '=')) {
            end--;
        }
        return stripped.substring(0, end).strip();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return "PhiTokenizer[" + TOKEN_PREFIX + "]"; // never the secret
    }
}
