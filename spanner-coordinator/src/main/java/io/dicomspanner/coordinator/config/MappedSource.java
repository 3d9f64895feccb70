package io.dicomspanner.coordinator.config;

import io.dicomspanner.common.messaging.SourceEndpoint;
import java.util.Map;

/**
 * One enabled source of a spanning config, as its mapping places it.
 *
 * @param priority 1 = asked first in first_wins
 * @param timeoutSeconds the mapping's timeout override, else the config's timeout
 * @param additionalQueryFilters PS3.6 keyword to value, added to every identifier sent to this source
 */
public record MappedSource(
        SourceEndpoint endpoint, int priority, int timeoutSeconds, Map<String, String> additionalQueryFilters) {

    public MappedSource {
        additionalQueryFilters = Map.copyOf(additionalQueryFilters);
    }

    public long sourceId() {
        return endpoint.sourceId();
    }
}
