package io.dicomspanner.common.querylog;

import io.dicomspanner.common.outbox.FileOutbox;
import io.dicomspanner.common.outbox.OutboxProperties;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the {@code query_log} row of every query, with patient attributes as PHI tokens. The coordinator writes the
 * rows of the queries it answers, the api-gateway those it answers from the result cache itself; both declare it as a
 * bean with the PHI tokenizer of their {@code spanner.phi} settings. A row PostgreSQL cannot take now goes to the
 * service's {@code query-log} outbox ({@link FileOutbox}), already tokenized, and is inserted later, once.
 */
public class QueryLogWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueryLogWriter.class);
    private static final Pattern API_KEY_CALLER = Pattern.compile("api-key:(\\d+)(?:@(.*))?");
    private static final Pattern AE_CALLER = Pattern.compile("ae:([^@]{1,16})@(.*)");

    /** Only ever writes a map of strings: the services' own mapper settings (naming strategies) do not apply. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One {@code query_log} row, PHI already tokenized: what the outbox keeps.
     *
     * @param queryLevel and the other enum columns in their lower-case column form
     */
    public record Row(
            UUID id,
            Instant startedAt,
            Long configId,
            Long configVersion,
            String queryLevel,
            String entryPoint,
            Map<String, String> tokenizedFilters,
            Long callerApiKeyId,
            String callerAeTitle,
            String callerAddress,
            int sourcesAsked,
            int sourcesAnswered,
            int sourcesFailed,
            int matchesBeforeDedup,
            int matchesAfterDedup,
            long durationMs,
            String status,
            String error) {}

    private final JdbcClient jdbc;
    private final PhiTokenizer tokenizer;
    private final FileOutbox<Row> outbox;

    public QueryLogWriter(JdbcClient jdbc, PhiTokenizer tokenizer, OutboxProperties outbox, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.tokenizer = tokenizer;
        this.outbox = new FileOutbox<>("query-log", outbox, Row.class, JSON, this::insert, registry);
    }

    /**
     * Inserts the row, or keeps it in the outbox for a later insert. The query is not failed for its row: the caller
     * has its answer either way, and PostgreSQL being down must not take the spanner down. Only a row that can be
     * neither inserted nor kept (outbox beyond twice its limit, disk error, a row PostgreSQL refuses) is lost, and
     * that is logged at ERROR and counted in {@code spanner_outbox_failures_total{outbox="query-log"}}.
     */
    public void write(QueryLogEntry entry) {
        Row row;
        try {
            row = row(entry);
        } catch (IllegalArgumentException e) {
            log.error(
                    "query log row for query {} not written: {}",
                    entry.request().queryId(),
                    e.getMessage());
            return;
        }
        try {
            outbox.send(row);
        } catch (RuntimeException e) {
            log.error("query log row for query {} lost: {}", row.id(), e.toString());
        }
    }

    /** The outbox, for its depth and for tests that drain it at once. */
    public FileOutbox<Row> outbox() {
        return outbox;
    }

    /** The row of an entry, patient attributes as tokens. */
    public Row row(QueryLogEntry entry) {
        var request = entry.request();
        Long apiKeyId = null;
        String aeTitle = null;
        String address = null;
        String caller = request.caller() == null ? "" : request.caller();
        Matcher apiKey = API_KEY_CALLER.matcher(caller);
        Matcher ae = AE_CALLER.matcher(caller);
        if (apiKey.matches()) {
            apiKeyId = Long.parseLong(apiKey.group(1));
            address = apiKey.group(2);
        } else if (ae.matches()) {
            aeTitle = ae.group(1);
            address = ae.group(2);
        }
        return new Row(
                UUID.fromString(request.queryId()),
                entry.startedAt(),
                request.query().configId(),
                entry.configVersion(),
                request.query().level().name().toLowerCase(Locale.ROOT),
                request.entryPoint().name().toLowerCase(Locale.ROOT),
                tokenizedFilters(request.query().keys()),
                apiKeyId,
                aeTitle,
                address,
                entry.sourcesAsked(),
                entry.sourcesAnswered(),
                entry.sourcesFailed(),
                entry.matchesBeforeDeduplication(),
                entry.matchesAfterDeduplication(),
                entry.durationMillis(),
                QueryLogStatus.of(entry.state()).wire(),
                entry.error());
    }

    /** Inserts a row unless it is there already (a retry after a crash between insert and outbox delete). */
    void insert(Row row) {
        jdbc.sql("""
                        insert into query_log (id, started_at, config_id, config_version, query_level, entry_point,
                            tokenized_filters, caller_api_key_id, caller_ae_title, caller_address, sources_asked,
                            sources_answered, sources_failed, matches_before_dedup, matches_after_dedup,
                            duration_ms, status, error)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict do nothing
                        """)
                .params(
                        row.id(),
                        Timestamp.from(row.startedAt()),
                        row.configId(),
                        row.configVersion(),
                        row.queryLevel(),
                        row.entryPoint(),
                        JSON.writeValueAsString(row.tokenizedFilters()),
                        row.callerApiKeyId(),
                        row.callerAeTitle(),
                        row.callerAddress(),
                        row.sourcesAsked(),
                        row.sourcesAnswered(),
                        row.sourcesFailed(),
                        row.matchesBeforeDedup(),
                        row.matchesAfterDedup(),
                        row.durationMs(),
                        row.status(),
                        row.error())
                .update();
    }

    @Override
    public void close() {
        outbox.close();
    }

    /** Matching keys by PS3.6 keyword (dot-joined inside sequences), PHI values replaced by their tokens. */
    public Map<String, String> tokenizedFilters(Iterable<QueryKey> keys) {
        return tokenizedFilters(tokenizer, keys);
    }

    /** Matching keys by PS3.6 keyword, PHI values as {@code tokenizer}'s tokens: as the query log and the audit trail keep them. */
    public static Map<String, String> tokenizedFilters(PhiTokenizer tokenizer, Iterable<QueryKey> keys) {
        ElementDictionary dictionary = ElementDictionary.standard();
        Map<String, String> filters = new LinkedHashMap<>();
        for (QueryKey key : keys) {
            StringBuilder name = new StringBuilder();
            for (String part : key.path().split("\\.")) {
                String keyword = dictionary.keywordOf(Integer.parseUnsignedInt(part, 16));
                if (name.length() > 0) {
                    name.append('.');
                }
                name.append(keyword == null ? part : keyword);
            }
            filters.put(name.toString(), key.value());
        }
        return tokenizer.tokenizeFilters(filters);
    }
}
