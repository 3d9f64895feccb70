package io.dicomspanner.gateway.apikey;

import java.util.Set;

/** The key a request was authenticated with. */
public record AuthenticatedKey(long id, String name, Set<ApiKeyScope> scopes) {

    public boolean grants(ApiKeyScope required) {
        return scopes.stream().anyMatch(scope -> scope.grants(required));
    }
}
