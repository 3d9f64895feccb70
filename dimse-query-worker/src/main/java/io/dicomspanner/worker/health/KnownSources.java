package io.dicomspanner.worker.health;

import io.dicomspanner.common.messaging.SourceEndpoint;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The sources this worker knows how to reach: the endpoints of the tasks it has run (a worker has no database; the
 * endpoint travels in each task). Health checks echo these.
 */
@Component
public class KnownSources {

    private record Seen(SourceEndpoint endpoint, long lastSeenEpochMillis) {}

    private final Map<Long, Seen> sources = new ConcurrentHashMap<>();
    private final Clock clock;

    public KnownSources(Clock clock) {
        this.clock = clock;
    }

    public void seen(SourceEndpoint endpoint) {
        sources.put(endpoint.sourceId(), new Seen(endpoint, clock.millis()));
    }

    /** The endpoints seen in a task within {@code forgetAfterMillis}; older ones are forgotten. */
    public List<SourceEndpoint> current(long forgetAfterMillis) {
        long oldest = clock.millis() - forgetAfterMillis;
        sources.values().removeIf(s -> s.lastSeenEpochMillis() < oldest);
        return sources.values().stream().map(Seen::endpoint).toList();
    }
}
