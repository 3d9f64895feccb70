package io.dicomspanner.coordinator.querylog;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key of the PHI tokens, the same setting as the api-gateway's: every service must be given the same secret, or
 * the same patient gets different tokens in different places. One of the two is required.
 *
 * @param tokenSecret the secret itself (at least 32 bytes), usually from {@code SPANNER_PHI_TOKEN_SECRET}
 * @param tokenSecretFile a file holding the secret, usually from {@code SPANNER_PHI_TOKEN_SECRET_FILE}
 */
@ConfigurationProperties("spanner.phi")
public record PhiProperties(String tokenSecret, String tokenSecretFile) {

    @Override
    public String toString() {
        return "PhiProperties[tokenSecret=" + (tokenSecret == null || tokenSecret.isBlank() ? "" : "***")
                + ", tokenSecretFile=" + tokenSecretFile + "]";
    }
}
