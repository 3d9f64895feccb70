package io.dicomspanner.gateway.apikey;

import java.time.Instant;
import java.util.Set;

/** A new API key with the key itself; the only time it is ever shown. */
public record CreatedApiKeyResponse(long id, String name, Set<ApiKeyScope> scopes, Instant createdAt, String key) {

    @Override
    public String toString() {
        return "CreatedApiKeyResponse[id=" + id + ", name=" + name + ", scopes=" + scopes + "]"; // never the key
    }
}
