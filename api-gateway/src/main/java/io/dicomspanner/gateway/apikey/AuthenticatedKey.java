package io.dicomspanner.gateway.apikey;

import java.util.Set;

/** The key a request was authenticated with, with what it may see and how fast it may ask. */
public record AuthenticatedKey(long id, String name, Set<ApiKeyScope> scopes, KeyAccess access) {

    /** A key without restrictions of its own. */
    public AuthenticatedKey(long id, String name, Set<ApiKeyScope> scopes) {
        this(id, name, scopes, KeyAccess.UNRESTRICTED);
    }

    public boolean grants(ApiKeyScope required) {
        return scopes.stream().anyMatch(scope -> scope.grants(required));
    }

    /** Whether this key may read what any key asked (the status and results of every query). */
    public boolean isAdmin() {
        return scopes.contains(ApiKeyScope.ADMIN);
    }
}
