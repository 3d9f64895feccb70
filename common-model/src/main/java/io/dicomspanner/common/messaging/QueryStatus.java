package io.dicomspanner.common.messaging;

import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /api/v1/spanner/queries/{id}/status} shows, kept in Redis by the coordinator.
 *
 * <p>Made with {@link #of}: a status names its query and says only what differs from a query just taken.
 *
 * @param matchesBeforeDeduplication records accepted from all sources (after the re-check)
 * @param matchesAfterDeduplication distinct records
 * @param conflictingCopies records whose copies disagree on PatientID across sources
 */
public record QueryStatus(
        String queryId,
        long configId,
        long configVersion,
        String level,
        QueryState state,
        long createdEpochMillis,
        Long completedEpochMillis,
        boolean fromCache,
        boolean coalesced,
        int matchesBeforeDeduplication,
        int matchesAfterDeduplication,
        int conflictingCopies,
        List<SourceStatus> sources) {

    /**
     * One source's part in the query.
     *
     * @param unverifiedKeys PS3.6 keywords of matching keys this source could not apply and its worker could not
     *     verify: its records are kept, but they may not match these keys; empty when every key was applied, and in a
     *     status from before this field
     * @param verificationBound the bound of sub-queries at which its worker stopped verifying, so that some of
     *     {@code unverifiedKeys} were left unverified for that reason; 0 when it did not stop
     */
    public record SourceStatus(
            long sourceId,
            String name,
            String aeTitle,
            SourceOutcome state,
            int matches,
            int droppedByRecheck,
            Long latencyMillis,
            String error,
            List<String> unverifiedKeys,
            Integer verificationBound) {

        public SourceStatus {
            verificationBound = verificationBound == null ? 0 : verificationBound;
            unverifiedKeys = unverifiedKeys == null ? List.of() : List.copyOf(unverifiedKeys);
        }

        /** A source whose worker did not stop verifying at a bound. */
        public SourceStatus(
                long sourceId,
                String name,
                String aeTitle,
                SourceOutcome state,
                int matches,
                int droppedByRecheck,
                Long latencyMillis,
                String error,
                List<String> unverifiedKeys) {
            this(sourceId, name, aeTitle, state, matches, droppedByRecheck, latencyMillis, error, unverifiedKeys, 0);
        }

        /** A source that applied every matching key (or has not answered yet). */
        public SourceStatus(
                long sourceId,
                String name,
                String aeTitle,
                SourceOutcome state,
                int matches,
                int droppedByRecheck,
                Long latencyMillis,
                String error) {
            this(sourceId, name, aeTitle, state, matches, droppedByRecheck, latencyMillis, error, List.of());
        }
    }

    /**
     * The status of this query of config {@code query.configId()} at {@code query.level()}: as built without more,
     * RUNNING, created at 0, nothing counted, no source.
     */
    public static Builder of(String queryId, SpanQuery query) {
        return of(queryId, query.configId(), query.level());
    }

    /** The status of query {@code queryId} of config {@code configId} at {@code level}: see {@link #of(String, SpanQuery)}. */
    public static Builder of(String queryId, long configId, QueryLevel level) {
        return new Builder(queryId, configId, level.name());
    }

    /** The parts of a status that change as its query runs, each set by name. */
    public static final class Builder {
        private final String queryId;
        private final long configId;
        private final String level;
        private long configVersion;
        private QueryState state = QueryState.RUNNING;
        private long createdEpochMillis;
        private Long completedEpochMillis;
        private boolean fromCache;
        private boolean coalesced;
        private int matchesBeforeDeduplication;
        private int matchesAfterDeduplication;
        private int conflictingCopies;
        private List<SourceStatus> sources = List.of();

        private Builder(String queryId, long configId, String level) {
            this.queryId = Objects.requireNonNull(queryId, "queryId");
            this.configId = configId;
            this.level = Objects.requireNonNull(level, "level");
        }

        /** The version of the config the query runs under; 0 when it could not be resolved. */
        public Builder configVersion(long version) {
            this.configVersion = version;
            return this;
        }

        /** When the query was taken. */
        public Builder createdAt(long epochMillis) {
            this.createdEpochMillis = epochMillis;
            return this;
        }

        public Builder state(QueryState queryState) {
            this.state = Objects.requireNonNull(queryState, "state");
            return this;
        }

        /** When the query got its final answer; unset while it runs. */
        public Builder completedAt(long epochMillis) {
            this.completedEpochMillis = epochMillis;
            return this;
        }

        /** Answered from the result cache. */
        public Builder fromCache(boolean cached) {
            this.fromCache = cached;
            return this;
        }

        /** Joined an identical query in flight rather than asking the sources itself. */
        public Builder coalesced(boolean joined) {
            this.coalesced = joined;
            return this;
        }

        /** The merge's counts: see the record's components of the same names. */
        public Builder matches(int beforeDeduplication, int afterDeduplication, int conflicting) {
            this.matchesBeforeDeduplication = beforeDeduplication;
            this.matchesAfterDeduplication = afterDeduplication;
            this.conflictingCopies = conflicting;
            return this;
        }

        public Builder sources(List<SourceStatus> perSource) {
            this.sources = Objects.requireNonNull(perSource, "sources");
            return this;
        }

        public QueryStatus build() {
            return new QueryStatus(
                    queryId,
                    configId,
                    configVersion,
                    level,
                    state,
                    createdEpochMillis,
                    completedEpochMillis,
                    fromCache,
                    coalesced,
                    matchesBeforeDeduplication,
                    matchesAfterDeduplication,
                    conflictingCopies,
                    sources);
        }
    }
}
