package io.dicomspanner.common.querylog;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.dicom.data.ElementDictionary;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the {@code query_log} row of every query, with patient attributes as PHI tokens. The coordinator writes the
 * rows of the queries it answers, the api-gateway those it answers from the result cache itself; both declare it as a
 * bean with the PHI tokenizer of their {@code spanner.phi} settings.
 */
public class QueryLogWriter {

    private static final Logger log = LoggerFactory.getLogger(QueryLogWriter.class);
    private static final Pattern API_KEY_CALLER = Pattern.compile("api-key:(\\d+)(?:@(.*))?");
    private static final Pattern AE_CALLER = Pattern.compile("ae:([^@]{1,16})@(.*)");

    /** Only ever writes a map of strings: the services' own mapper settings (naming strategies) do not apply. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final PhiTokenizer tokenizer;

    public QueryLogWriter(JdbcClient jdbc, PhiTokenizer tokenizer) {
        this.jdbc = jdbc;
        this.tokenizer = tokenizer;
    }

    /**
     * Inserts the row. A failed insert is logged and does not fail the query: the caller has its answer either way,
     * and PostgreSQL being down must not take the spanner down.
     */
    public void write(QueryLogEntry entry) {
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
        try {
            jdbc.sql("""
                            insert into query_log (id, started_at, config_id, config_version, query_level, entry_point,
                                tokenized_filters, caller_api_key_id, caller_ae_title, caller_address, sources_asked,
                                sources_answered, sources_failed, matches_before_dedup, matches_after_dedup,
                                duration_ms, status, error)
                            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """)
                    .params(
                            UUID.fromString(request.queryId()),
                            Timestamp.from(entry.startedAt()),
                            request.query().configId(),
                            entry.configVersion(),
                            request.query().level().name().toLowerCase(Locale.ROOT),
                            request.entryPoint().name().toLowerCase(Locale.ROOT),
                            JSON.writeValueAsString(
                                    tokenizedFilters(request.query().keys())),
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
                            entry.error())
                    .update();
        } catch (DataAccessException | IllegalArgumentException e) {
            log.error("query log row for query {} not written", request.queryId(), e);
        }
    }

    /** Matching keys by PS3.6 keyword (dot-joined inside sequences), PHI values replaced by their tokens. */
    Map<String, String> tokenizedFilters(Iterable<QueryKey> keys) {
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
