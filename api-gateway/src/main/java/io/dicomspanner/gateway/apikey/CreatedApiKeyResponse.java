package io.dicomspanner.gateway.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A new API key with the key itself; the only time it is ever shown. */
public record CreatedApiKeyResponse(
        long id,
        String name,
        Set<ApiKeyScope> scopes,
        List<Long> allowedConfigIds,
        Integer queriesPerSecond,
        Integer queriesInFlight,
        Instant createdAt,
        String key) {

    @Override
    public String toString() {
        return "CreatedApiKeyResponse[id=" + id + ", name=" + name + ", scopes=" + scopes + "]"; // never the key
    }
}
