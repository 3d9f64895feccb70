package io.dicomspanner.gateway.apikey;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * API key settings.
 *
 * @param bootstrapKey an admin key to register on start if no admin key exists ({@code SPANNER_BOOTSTRAP_API_KEY})
 * @param bootstrapKeyFile a file holding that key ({@code SPANNER_BOOTSTRAP_API_KEY_FILE}); not both
 * @param bootstrapKeyMinLength the shortest bootstrap key accepted, in characters
 * @param lastUsedUpdateInterval how stale a key's last-used time may get before a use writes it again (off the
 *     request thread)
 * @param verificationCacheTtl how long a key verified in the database is trusted without asking it again; zero turns
 *     the cache off. A key revoked on another gateway (or the command line) works here for at most this long.
 * @param trustedWhileDatabaseUnavailable how long after its last verification a key is still accepted while the database
 *     cannot be reached (a lookup fails): queries go on through an outage of the primary. A key revoked elsewhere in
 *     that time works here until the database answers again or this runs out; zero: no key without the database.
 * @param verificationCacheMaxEntries how many verified keys the cache holds at most; keys beyond are checked in the
 *     database on every request
 * @param apiDocsPublic serve the OpenAPI document and Swagger UI without a key
 * @param defaultQueriesPerSecond searches a key may start per second (a burst of one second's worth) unless it has a limit of its own; 0:
 *     unlimited. Counted per gateway instance.
 * @param defaultQueriesInFlight synchronous searches a key may have unanswered at once unless it has a limit of its
 *     own; 0: unlimited. Counted per gateway instance.
 */
@Validated
@ConfigurationProperties("spanner.api-keys")
public record ApiKeyProperties(
        String bootstrapKey,
        String bootstrapKeyFile,
        @NotNull @Min(16) Integer bootstrapKeyMinLength,

        @NotNull @DurationMin(millis = 0, message = "must not be negative")
        Duration lastUsedUpdateInterval,

        @NotNull @DurationMin(millis = 0, message = "must not be negative")
        Duration verificationCacheTtl,

        @NotNull @DurationMin(millis = 0, message = "must not be negative")
        Duration trustedWhileDatabaseUnavailable,

        @NotNull @Min(1) Integer verificationCacheMaxEntries,
        boolean apiDocsPublic,

        @NotNull @Min(0) @Max(KeyLimitsPolicy.MAX_QUERIES_PER_SECOND)
        Integer defaultQueriesPerSecond,

        @NotNull @Min(0) @Max(KeyLimitsPolicy.MAX_QUERIES_IN_FLIGHT)
        Integer defaultQueriesInFlight) {

    @Override
    public String toString() {
        return "ApiKeyProperties[bootstrapKey=" + (bootstrapKey == null || bootstrapKey.isBlank() ? "" : "***")
                + ", bootstrapKeyFile=" + bootstrapKeyFile + ", bootstrapKeyMinLength=" + bootstrapKeyMinLength
                + ", lastUsedUpdateInterval=" + lastUsedUpdateInterval + ", verificationCacheTtl="
                + verificationCacheTtl
                + ", trustedWhileDatabaseUnavailable=" + trustedWhileDatabaseUnavailable
                + ", verificationCacheMaxEntries=" + verificationCacheMaxEntries + ", apiDocsPublic=" + apiDocsPublic
                + ", defaultQueriesPerSecond=" + defaultQueriesPerSecond + ", defaultQueriesInFlight="
                + defaultQueriesInFlight + "]";
    }
}
