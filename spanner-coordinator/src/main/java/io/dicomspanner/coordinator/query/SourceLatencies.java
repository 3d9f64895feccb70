package io.dicomspanner.coordinator.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * How long each source has lately taken to answer, as its workers reported it with each final batch: a moving average
 * per source, kept by this coordinator instance in memory. A query that asks all its sources at once sends the tasks
 * of the slowest first ({@link QueryRun}): the tasks of a query leave one after the other, and a slow PACS asked last
 * would add the whole fan-out to the query's time, a fast one asked last adds nothing.
 *
 * <p>A source never seen (since the start, or newly mapped) counts as slower than every known one, so it is asked
 * first. Thread-safe.
 */
@Component
public class SourceLatencies {

    /** Returned by {@link #expectedMillis} for a source with no answer seen yet. */
    public static final long UNKNOWN = Long.MAX_VALUE;

    /** The weight of the newest answer in the average: a PACS that slows down is seen as slow within a few queries. */
    private static final double WEIGHT = 0.25;

    private final Map<Long, Double> averages = new ConcurrentHashMap<>();

    /** A final answer of {@code sourceId}, {@code millis} after its worker took the task. */
    public void observe(long sourceId, long millis) {
        if (millis < 0) {
            return;
        }
        averages.merge(sourceId, (double) millis, (old, now) -> old + WEIGHT * (now - old));
    }

    /** The source's average time to its final answer in ms, or {@link #UNKNOWN}. */
    public long expectedMillis(long sourceId) {
        Double average = averages.get(sourceId);
        return average == null ? UNKNOWN : Math.round(average);
    }
}
