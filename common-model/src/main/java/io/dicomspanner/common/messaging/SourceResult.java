package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * A batch of one source's matches (worker → coordinator). A task produces one or more batches; the last one has a
 * final {@link SourceOutcome}. Batches are numbered so a coordinator can drop duplicates after a redelivered task.
 *
 * @param sequence 0, 1, 2 … within the task
 * @param matches the C-FIND response identifiers, each a data set in Explicit VR Little Endian
 * @param dimseStatus the final DIMSE status when there is one (else -1)
 * @param error a reason for people when the outcome is not SUCCESS (never PHI)
 * @param latencyMillis from the task's start at the worker to this batch
 */
public record SourceResult(
        String queryId,
        String taskId,
        long sourceId,
        int sequence,
        List<byte[]> matches,
        SourceOutcome outcome,
        int dimseStatus,
        String error,
        long latencyMillis) {}
