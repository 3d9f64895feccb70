package io.dicomspanner.coordinator.merge;

import io.dicomspanner.common.messaging.ConflictingCopies;
import java.util.List;

/**
 * The counts of a merge, for the query status.
 *
 * @param recordsBeforeDeduplication records accepted from all sources (after the re-check)
 * @param recordsAfterDeduplication results: distinct unique keys, or every accepted record when de-duplication is off
 * @param sources per source, best-ranked first
 * @param conflicts records whose copies disagree on Patient ID, by unique key
 */
public record MergeStatistics(
        int recordsBeforeDeduplication,
        int recordsAfterDeduplication,
        List<SourceStatistics> sources,
        List<ConflictingCopies> conflicts) {

    public MergeStatistics {
        sources = List.copyOf(sources);
        conflicts = List.copyOf(conflicts);
    }
}
