package io.dicomspanner.gateway.apikey;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * API key settings.
 *
 * @param bootstrapKey an admin key to register on start if no admin key exists ({@code SPANNER_BOOTSTRAP_API_KEY})
 * @param bootstrapKeyFile a file holding that key ({@code SPANNER_BOOTSTRAP_API_KEY_FILE}); not both
 * @param bootstrapKeyMinLength the shortest bootstrap key accepted, in characters
 * @param lastUsedUpdateInterval how stale a key's last-used time may get before a request writes it again
 * @param apiDocsPublic serve the OpenAPI document and Swagger UI without a key
 */
@Validated
@ConfigurationProperties("spanner.api-keys")
public record ApiKeyProperties(
        String bootstrapKey,
        String bootstrapKeyFile,
        @NotNull @Min(16) Integer bootstrapKeyMinLength,
        @NotNull Duration lastUsedUpdateInterval,
        boolean apiDocsPublic) {

    @Override
    public String toString() {
        return "ApiKeyProperties[bootstrapKey=" + (bootstrapKey == null || bootstrapKey.isBlank() ? "" : "***")
                + ", bootstrapKeyFile=" + bootstrapKeyFile + ", bootstrapKeyMinLength=" + bootstrapKeyMinLength
                + ", lastUsedUpdateInterval=" + lastUsedUpdateInterval + ", apiDocsPublic=" + apiDocsPublic + "]";
    }
}
