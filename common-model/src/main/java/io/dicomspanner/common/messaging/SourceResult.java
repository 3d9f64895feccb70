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
 * @param unverifiedKeys PS3.6 keywords of matching keys the source ignores and the worker could not verify either: the
 *     records are kept, and the answer says that this key was not applied to this source's part (on the last batch;
 *     empty otherwise, and in a result from before this field)
 * @param verificationBound the bound of sub-queries ({@code verification-max-subqueries}) at which the worker stopped
 *     verifying, leaving records unverified for that reason; 0 when it did not stop (on the last batch)
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
        long latencyMillis,
        List<String> unverifiedKeys,
        Integer verificationBound) {

    public SourceResult {
        verificationBound = verificationBound == null ? 0 : verificationBound;
        unverifiedKeys = unverifiedKeys == null ? List.of() : List.copyOf(unverifiedKeys);
    }

    /** A batch whose worker did not stop verifying at a bound. */
    public SourceResult(
            String queryId,
            String taskId,
            long sourceId,
            int sequence,
            List<byte[]> matches,
            SourceOutcome outcome,
            int dimseStatus,
            String error,
            long latencyMillis,
            List<String> unverifiedKeys) {
        this(
                queryId,
                taskId,
                sourceId,
                sequence,
                matches,
                outcome,
                dimseStatus,
                error,
                latencyMillis,
                unverifiedKeys,
                0);
    }

    /** A batch with every matching key applied. */
    public SourceResult(
            String queryId,
            String taskId,
            long sourceId,
            int sequence,
            List<byte[]> matches,
            SourceOutcome outcome,
            int dimseStatus,
            String error,
            long latencyMillis) {
        this(queryId, taskId, sourceId, sequence, matches, outcome, dimseStatus, error, latencyMillis, List.of());
    }
}
