package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * Copies of one record that disagree on Patient ID: the same Study (Series, SOP) Instance UID filed under different
 * patients on different PACS. The merged result is still produced; the conflict is reported so someone can reconcile
 * the archives. Only the unique key and the sources are named: Patient IDs are PHI and stay out of the status.
 *
 * @param uniqueKey the record's unique key (a UID)
 * @param sourceIds every source holding a copy, best-ranked first
 */
public record ConflictingCopies(String uniqueKey, List<String> sourceIds) {

    public ConflictingCopies {
        sourceIds = List.copyOf(sourceIds);
    }
}
