package io.dicomspanner.gateway.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An API key as the API shows it: everything but the key, which is shown once, at creation. {@code
 * allowed_config_ids} empty: every config; a null limit: the gateway's default; 0: unlimited.
 */
public record ApiKeyResponse(
        long id,
        String name,
        Set<ApiKeyScope> scopes,
        List<Long> allowedConfigIds,
        Integer queriesPerSecond,
        Integer queriesInFlight,
        boolean active,
        Instant createdAt,
        String createdBy,
        Instant lastUsedAt,
        Instant revokedAt,
        String revokedBy) {

    static ApiKeyResponse of(ApiKey key) {
        KeyAccess access = key.access();
        return new ApiKeyResponse(
                key.getId(),
                key.getName(),
                key.getScopes(),
                access.allowedConfigIds(),
                access.queriesPerSecond(),
                access.queriesInFlight(),
                !key.isRevoked(),
                key.getCreatedAt(),
                key.getCreatedBy(),
                key.getLastUsedAt(),
                key.getRevokedAt(),
                key.getRevokedBy());
    }
}
