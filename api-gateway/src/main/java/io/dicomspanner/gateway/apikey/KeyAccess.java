package io.dicomspanner.gateway.apikey;

import java.util.List;

/**
 * What a key may see and how fast it may ask, as stored.
 *
 * @param allowedConfigIds the spanning configs it may search, ascending, without repeats; empty: all
 * @param queriesPerSecond its searches per second; null: the gateway's default; 0: unlimited
 * @param queriesInFlight its synchronous searches not answered yet; null: the gateway's default; 0: unlimited
 */
public record KeyAccess(List<Long> allowedConfigIds, Integer queriesPerSecond, Integer queriesInFlight) {

    public static final KeyAccess UNRESTRICTED = new KeyAccess(List.of(), null, null);

    public KeyAccess {
        allowedConfigIds = List.copyOf(allowedConfigIds);
    }

    /** Whether the key may search this config. */
    public boolean allows(long configId) {
        return allowedConfigIds.isEmpty() || allowedConfigIds.contains(configId);
    }
}
