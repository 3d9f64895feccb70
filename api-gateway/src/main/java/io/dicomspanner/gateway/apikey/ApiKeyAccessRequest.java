package io.dicomspanner.gateway.apikey;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.TreeSet;

/**
 * What a key may see and how fast it may ask: the body of {@code PUT /api/v1/api-keys/{id}/access}, which replaces
 * all three.
 *
 * @param allowedConfigIds the spanning configs the key may search; absent or empty: all
 * @param queriesPerSecond searches it may start per second (a burst of one second's worth); absent: the gateway's default; 0: unlimited
 * @param queriesInFlight synchronous searches it may have unanswered at once; absent: the gateway's default; 0:
 *     unlimited
 */
public record ApiKeyAccessRequest(
        @Schema(description = "Spanning config ids the key may search; empty or absent: all") @Size(max = MAX_CONFIGS)
        List<@NotNull Long> allowedConfigIds,

        @Schema(description = "Searches per second; absent: the gateway's default; 0: unlimited")
        @Min(0)
        @Max(KeyLimitsPolicy.MAX_QUERIES_PER_SECOND)
        Integer queriesPerSecond,

        @Schema(description = "Synchronous searches unanswered at once; absent: the gateway's default; 0: unlimited")
        @Min(0)
        @Max(KeyLimitsPolicy.MAX_QUERIES_IN_FLIGHT)
        Integer queriesInFlight) {

    static final int MAX_CONFIGS = 1000;

    /** As stored: config ids ascending, each once. */
    KeyAccess toAccess() {
        List<Long> ids = allowedConfigIds == null ? List.of() : List.copyOf(new TreeSet<>(allowedConfigIds));
        return new KeyAccess(ids, queriesPerSecond, queriesInFlight);
    }
}
