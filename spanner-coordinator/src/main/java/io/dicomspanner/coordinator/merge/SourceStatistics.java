package io.dicomspanner.coordinator.merge;

/**
 * What one source contributed to a merge, for the query status.
 *
 * @param sourceId the source
 * @param finished true once the source has delivered its last batch (or was given up)
 * @param received records delivered while the source was running
 * @param filteredByRecheck records dropped because they do not match the query when matched again locally
 * @param withoutUniqueKey records dropped because they lack the unique key of the query level, so they can be neither
 *     de-duplicated nor retrieved
 * @param accepted records that entered the merge: {@code received - filteredByRecheck - withoutUniqueKey}
 * @param late records delivered after the source had finished, ignored because results already given out as final
 *     must not change
 */
public record SourceStatistics(
        String sourceId,
        boolean finished,
        int received,
        int filteredByRecheck,
        int withoutUniqueKey,
        int accepted,
        int late) {}
