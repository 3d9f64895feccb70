package io.dicomspanner.common.answer;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.query.ResultPage;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogEntry;
import java.time.Duration;
import java.util.List;

/**
 * The final answer of a query answered from a {@link SharedAnswer} (the result cache, or the identical query it
 * waited for): the page, the final status and the query-log row, the same whether a coordinator or the api-gateway
 * answers. The page is cut by the shared answer's {@code maxResults}, the rule of the coordinator that made it, so a
 * request gets the same results whoever answers it; a streamed query gets the whole answer at once. The answer notes
 * each source whose matching keys are not verified, as the first answer did.
 */
public final class SharedAnswerReply {

    private final TakenQuery query;
    private final SharedAnswer shared;
    private final SpanAnswer answer;
    private final QueryStatus status;

    private SharedAnswerReply(TakenQuery query, SharedAnswer shared, boolean fromCache, long completedEpochMillis) {
        if (query.configVersion() == null) {
            throw new IllegalArgumentException("a shared answer is answered under a config version");
        }
        if (shared.maxResults() <= 0) {
            throw new IllegalArgumentException(
                    "the shared answer does not say how it pages (SharedAnswer.orMaxResults gives it a rule)");
        }
        this.query = query;
        this.shared = shared;
        List<byte[]> records = shared.records();
        int remaining = 0;
        SpanQuery asked = query.request().query();
        if (!query.request().streamMatches()) {
            ResultPage<byte[]> page =
                    ResultPage.of(shared.records(), asked.offset(), asked.pageLimit(), shared.maxResults());
            records = page.items();
            remaining = page.remaining();
        }
        this.answer = new SpanAnswer(
                query.queryId(),
                records,
                true,
                shared.state(),
                shared.failures(),
                shared.matchesAfterDeduplication(),
                remaining,
                fromCache,
                SpanAnswer.SourceNote.of(shared.sources()));
        this.status = query.status()
                .state(shared.state())
                .completedAt(completedEpochMillis)
                .fromCache(fromCache)
                .coalesced(!fromCache)
                .matches(
                        shared.matchesBeforeDeduplication(),
                        shared.matchesAfterDeduplication(),
                        shared.conflictingCopies())
                .sources(shared.sources())
                .build();
    }

    /**
     * A query answered from the result cache, at {@code completedEpochMillis}.
     *
     * @throws IllegalArgumentException if the answer does not say how it pages, or no config version is known
     */
    public static SharedAnswerReply fromCache(TakenQuery query, SharedAnswer shared, long completedEpochMillis) {
        return new SharedAnswerReply(query, shared, true, completedEpochMillis);
    }

    /**
     * A query answered from the answer of an identical query in flight, at {@code completedEpochMillis}.
     *
     * @throws IllegalArgumentException if the answer does not say how it pages, or no config version is known
     */
    public static SharedAnswerReply coalesced(TakenQuery query, SharedAnswer shared, long completedEpochMillis) {
        return new SharedAnswerReply(query, shared, false, completedEpochMillis);
    }

    /** The final answer to the entry point: the page asked for. */
    public SpanAnswer answer() {
        return answer;
    }

    /** The query's final status. */
    public QueryStatus status() {
        return status;
    }

    public QueryState state() {
        return shared.state();
    }

    /**
     * The query-log row, once the answer is out and {@code took} known: the query asked no source itself, and logs the
     * shared answer's counts, state and failures.
     */
    public QueryLogEntry logEntry(Duration took) {
        return new QueryLogEntry(
                query.request(),
                query.takenAt(),
                query.configVersion(),
                0,
                0,
                0,
                shared.matchesBeforeDeduplication(),
                shared.matchesAfterDeduplication(),
                took.toMillis(),
                shared.state(),
                QueryLogEntry.errorOf(shared.failures()));
    }
}
