package io.dicomspanner.coordinator.config;

import io.dicomspanner.common.config.SpanningConfigRows;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.common.persistence.ReadReplica;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * of the config or its mappings changes the version, and so does any change of a source it maps or selects.
 *
 * <p>A config asks its enabled mappings' sources with their own priority, timeout and filters, then every enabled
 * source of its {@code include_locations} or with one of its {@code include_tags} that it does not map (a mapping,
 * even a disabled one, takes precedence over the selection), with the config's timeout, no extra filters and the
 * priority after the lowest of its mappings.
 */
@Repository
public class SpanningConfigRepository {

    private static final TypeReference<Map<String, String>> FILTERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /** Only the newest version of each config is kept: older ones are never asked for again. */
    private final Map<Long, SpanningConfig> byId = new ConcurrentHashMap<>();

    /** Reads through the {@link ReadReplica}: configs go on resolving from a replica while the primary is away. */
    public SpanningConfigRepository(ReadReplica replica, JsonMapper json) {
        this.jdbc = replica.jdbc();
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
                        select %1$s,
                               m.priority, coalesce(m.timeout_override, c.timeout_seconds) as timeout_seconds,
                               m.additional_query_filters::text as filters
                          from source_mapping m
                          join dicom_source s on s.id = m.source_id
                          join spanner_config c on c.id = m.config_id
                         where m.config_id = :config and m.enabled and s.enabled and m.source_type in ('modality', 'dicomweb')
                        union all
                        select %1$s,
                               (select coalesce(max(x.priority), 0) + 1 from source_mapping x
                                 where x.config_id = c.id) as priority,
                               c.timeout_seconds as timeout_seconds,
                               '{}' as filters
                          from spanner_config c
                          join dicom_source s
                            on s.location = any(c.include_locations) or s.tags && c.include_tags
                         where c.id = :config and s.enabled
                           and not exists (select 1 from source_mapping x
                                            where x.config_id = c.id and x.source_type in ('modality', 'dicomweb')
                                              and x.source_id = s.id)
                         order by priority, id
                        """.formatted(SourceEndpointRows.COLUMNS))
                .param("config", configId)
                .query((rs, row) -> mappedSource(rs))
                .list();
        return jdbc.sql("select " + SpanningConfigRows.COLUMNS + " from spanner_config where id = ?")
                .param(configId)
                .query((rs, row) -> new SpanningConfig(SpanningConfigRows.read(rs), sources))
                .optional();
    }

    private MappedSource mappedSource(ResultSet rs) throws SQLException {
        SourceEndpoint endpoint = SourceEndpointRows.read(rs);
        Map<String, String> filters = json.readValue(rs.getString("filters"), FILTERS);
        return new MappedSource(endpoint, rs.getInt("priority"), rs.getInt("timeout_seconds"), filters);
    }
}
