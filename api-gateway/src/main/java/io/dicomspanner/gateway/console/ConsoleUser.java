package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.apikey.ApiKeyScope;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import io.dicomspanner.gateway.apikey.KeyAccess;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who is signed in to a console session: the API key's id, name, scopes and limits, never the key itself. Kept in the
 * servlet session; the key was verified once, at sign-in.
 */
public record ConsoleUser(
        long keyId,
        String keyName,
        EnumSet<ApiKeyScope> scopes,
        ArrayList<Long> allowedConfigIds,
        Integer queriesPerSecond,
        Integer queriesInFlight)
        implements Serializable {

    static ConsoleUser of(AuthenticatedKey key) {
        EnumSet<ApiKeyScope> scopes = EnumSet.noneOf(ApiKeyScope.class);
        scopes.addAll(key.scopes());
        return new ConsoleUser(
                key.id(),
                key.name(),
                scopes,
                new ArrayList<>(key.access().allowedConfigIds()),
                key.access().queriesPerSecond(),
                key.access().queriesInFlight());
    }

    /** The key as the gateway's query services take it. */
    AuthenticatedKey key() {
        return new AuthenticatedKey(
                keyId,
                keyName,
                Set.copyOf(scopes),
                new KeyAccess(List.copyOf(allowedConfigIds), queriesPerSecond, queriesInFlight));
    }

    public boolean isAdmin() {
        return scopes.contains(ApiKeyScope.ADMIN);
    }

    /** How the audit trail names this user. */
    String actor() {
        return "api-key:" + keyName;
    }
}
