package io.dicomspanner.common.phi;

import io.dicomspanner.common.secret.SecretSource;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key of the PHI tokens ({@code spanner.phi}), the same setting in every service that tokenizes PHI (the
 * api-gateway and the coordinator): each must be given the same secret, or the same patient gets different tokens in
 * different places. Exactly one of the two is required. A service binds it with
 * {@code @EnableConfigurationProperties(PhiProperties.class)} and makes its tokenizer with {@link #tokenizer()}.
 *
 * @param tokenSecret the secret itself (at least {@value PhiTokenizer#MIN_SECRET_BYTES} bytes), usually from
 *     {@code SPANNER_PHI_TOKEN_SECRET}
 * @param tokenSecretFile a file holding the secret (a Docker or Kubernetes secret; a trailing newline is not part of
 *     it), usually from {@code SPANNER_PHI_TOKEN_SECRET_FILE}
 */
@ConfigurationProperties("spanner.phi")
public record PhiProperties(String tokenSecret, String tokenSecretFile) {

    static final String TOKEN_SECRET = "spanner.phi.token-secret (SPANNER_PHI_TOKEN_SECRET)";
    static final String TOKEN_SECRET_FILE = "spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE)";

    /**
     * The tokenizer keyed by the configured secret.
     *
     * @throws IllegalStateException naming the setting, if neither or both are set or the secret is too short
     * @throws java.io.UncheckedIOException naming the setting and the file, if the file cannot be read
     */
    public PhiTokenizer tokenizer() {
        String secret = SecretSource.resolve(tokenSecret, tokenSecretFile, TOKEN_SECRET, TOKEN_SECRET_FILE)
                .orElseThrow(() -> new IllegalStateException("No PHI token secret: set " + TOKEN_SECRET + ", at least "
                        + PhiTokenizer.MIN_SECRET_BYTES + " bytes, or " + TOKEN_SECRET_FILE));
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < PhiTokenizer.MIN_SECRET_BYTES) {
            String setting = tokenSecret == null || tokenSecret.isBlank()
                    ? TOKEN_SECRET_FILE + " " + tokenSecretFile
                    : TOKEN_SECRET;
            throw new IllegalStateException("The PHI token secret of " + setting + " must have at least "
                    + PhiTokenizer.MIN_SECRET_BYTES + " bytes, has " + bytes);
        }
        return PhiTokenizer.withSecret(secret);
    }

    /** Never shows the secret (the settings are logged when binding fails). */
    @Override
    public String toString() {
        return "PhiProperties[tokenSecret=" + (tokenSecret == null || tokenSecret.isBlank() ? "" : "***")
                + ", tokenSecretFile=" + tokenSecretFile + "]";
    }
}
