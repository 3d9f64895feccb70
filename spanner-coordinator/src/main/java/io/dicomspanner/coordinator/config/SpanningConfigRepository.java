package io.dicomspanner.coordinator.config;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.coordinator.merge.DeduplicationStrategy;
import io.dicomspanner.coordinator.merge.MergePolicy;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads spanner configs from PostgreSQL (the api-gateway owns the tables). Each query costs one indexed read of the
 * config's version; the config itself, its mappings and sources are read once per version and kept, since any edit
 * of the config or its mappings changes the version.
 */
@Repository
public class SpanningConfigRepository {

    private static final TypeReference<Map<String, String>> FILTERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /** Only the newest version of each config is kept: older ones are never asked for again. */
    private final Map<Long, SpanningConfig> byId = new ConcurrentHashMap<>();

    public SpanningConfigRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The config as it is now, or empty if there is no such config. */
    public Optional<SpanningConfig> resolve(long configId) {
        Optional<Long> version = jdbc.sql("select version from spanner_config where id = ?")
                .param(configId)
                .query(Long.class)
                .optional();
        if (version.isEmpty()) {
            byId.remove(configId);
            return Optional.empty();
        }
        SpanningConfig cached = byId.get(configId);
        if (cached != null && cached.version() == version.get()) {
            return Optional.of(cached);
        }
        Optional<SpanningConfig> loaded = load(configId);
        loaded.ifPresent(config -> byId.put(configId, config));
        return loaded;
    }

    private Optional<SpanningConfig> load(long configId) {
        List<MappedSource> sources = jdbc.sql("""
                        select s.id, s.name, s.ae_title, s.host, s.port, s.calling_ae_title, s.tls, s.max_associations,
                               s.query_timeout_seconds, s.information_models, s.relational_queries,
                               m.priority, coalesce(m.timeout_override, c.timeout_seconds) as timeout_seconds,
                               m.additional_query_filters::text as filters
                          from source_mapping m
                          join dicom_source s on s.id = m.source_id
                          join spanner_config c on c.id = m.config_id
                         where m.config_id = ? and m.enabled and s.enabled and m.source_type = 'modality'
                         order by m.priority, s.id
                        """)
                .param(configId)
                .query((rs, row) -> mappedSource(rs))
                .list();
        return jdbc.sql("""
                        select id, version, name, enabled, timeout_seconds, retry_attempts, failure_strategy,
                               minimum_success_threshold, deduplication_enabled, deduplication_strategy,
                               cache_ttl_seconds
                          from spanner_config where id = ?
                        """)
                .param(configId)
                .query((rs, row) -> new SpanningConfig(
                        rs.getLong("id"),
                        rs.getLong("version"),
                        rs.getString("name"),
                        rs.getBoolean("enabled"),
                        rs.getInt("timeout_seconds"),
                        rs.getInt("retry_attempts"),
                        FailureStrategy.ofConfigValue(rs.getString("failure_strategy")),
                        rs.getInt("minimum_success_threshold"),
                        new MergePolicy(
                                DeduplicationStrategy.ofConfigValue(rs.getString("deduplication_strategy")),
                                rs.getBoolean("deduplication_enabled")),
                        rs.getInt("cache_ttl_seconds"),
                        sources))
                .optional();
    }

    private MappedSource mappedSource(ResultSet rs) throws SQLException {
        SourceEndpoint endpoint = new SourceEndpoint(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("ae_title"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getString("calling_ae_title"),
                rs.getBoolean("tls"),
                rs.getInt("max_associations"),
                rs.getInt("query_timeout_seconds"),
                informationModels(rs.getArray("information_models")),
                rs.getBoolean("relational_queries"));
        Map<String, String> filters = json.readValue(rs.getString("filters"), FILTERS);
        return new MappedSource(endpoint, rs.getInt("priority"), rs.getInt("timeout_seconds"), filters);
    }

    /**
     * The admin API stores the wire names ({@code study_root}); {@link SourceEndpoint} carries the contract's
     * {@code STUDY_ROOT} / {@code PATIENT_ROOT}, which is what workers match on.
     */
    static List<String> informationModels(Array array) throws SQLException {
        return Arrays.stream((String[]) array.getArray())
                .map(name -> name.toUpperCase(java.util.Locale.ROOT))
                .toList();
    }
}
