package io.dicomspanner.bench.dimse;

import io.dicomspanner.bench.load.Gateway;
import java.util.List;
import java.util.Optional;

/**
 * Which spanning query a C-FIND became. The listener does not tell the SCU its query id, but the query log does: each
 * FindLoad query has a Patient ID and a run-tag Study Date range that no other query of the run has together, the log
 * is searched by the Patient ID (through its token), and the Study Date range, not PHI, is kept there in clear.
 */
final class QueryLogMatch {

    private QueryLogMatch() {}

    /**
     * The query id of the one entry (of a search by the query's Patient ID) whose Study Date filter is the query's
     * range; empty when there is none, or more than one (then the mapping would be a guess).
     */
    static Optional<String> queryId(List<Gateway.LoggedQuery> entries, String studyDateRange) {
        List<Gateway.LoggedQuery> same = entries.stream()
                .filter(e -> studyDateRange.equals(e.tokenizedFilters().get("StudyDate")))
                .toList();
        return same.size() == 1 ? Optional.of(same.get(0).queryId()) : Optional.empty();
    }
}
