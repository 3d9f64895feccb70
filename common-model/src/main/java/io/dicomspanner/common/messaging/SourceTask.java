package io.dicomspanner.common.messaging;

import io.dicomspanner.dicom.query.QueryLevel;
import java.util.Objects;

/**
 * One source's share of a spanning query (on {@link Topology#taskQueue(long)}). Published with the query's remaining
 * time as message TTL, so a task that outlives its query is dead-lettered, never sent to a PACS.
 *
 * @param taskId unique per (query, source); results carry it back, and duplicates after redelivery are recognised by it
 * @param level C-FIND QueryRetrieveLevel; in JSON its code ({@code "STUDY"}), which is the constant's name. A task
 *     whose level is missing or no level's code cannot be read, so it never reaches a PACS
 * @param identifier the C-FIND identifier as DICOM JSON (one object), with the source's additional query filters
 *     already applied; the worker adapts it to what the PACS supports
 * @param replyTo the coordinator instance's results queue
 * @param retryAttempts connection-level retries the worker may make within the deadline
 */
public record SourceTask(
        String queryId,
        String taskId,
        SourceEndpoint source,
        QueryLevel level,
        String identifier,
        long deadlineEpochMillis,
        String replyTo,
        int retryAttempts) {

    public SourceTask {
        Objects.requireNonNull(level, "level");
    }
}
