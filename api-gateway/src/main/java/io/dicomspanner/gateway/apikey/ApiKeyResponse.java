package io.dicomspanner.gateway.apikey;

import java.time.Instant;
import java.util.Set;

/** An API key as the API shows it: everything but the key, which is shown once, at creation. */
public record ApiKeyResponse(
        long id,
        String name,
        Set<ApiKeyScope> scopes,
        boolean active,
        Instant createdAt,
        String createdBy,
        Instant lastUsedAt,
        Instant revokedAt,
        String revokedBy) {

    static ApiKeyResponse of(ApiKey key) {
        return new ApiKeyResponse(
                key.getId(),
                key.getName(),
                key.getScopes(),
                !key.isRevoked(),
                key.getCreatedAt(),
                key.getCreatedBy(),
                key.getLastUsedAt(),
                key.getRevokedAt(),
                key.getRevokedBy());
    }
}
