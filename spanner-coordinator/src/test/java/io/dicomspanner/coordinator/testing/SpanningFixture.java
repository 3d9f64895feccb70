package io.dicomspanner.coordinator.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sources and spanner configs in the test database. Source ids are random and high, so the task queues they name
 * ({@code spanner.tasks.source.<id>}) cannot meet those of other modules' tests on the shared RabbitMQ.
 */
public final class SpanningFixture {

    private final long idBase = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    private int nextSource;
    private int nextConfig;

    /** A mapping of a source into a config. */
    public record Mapping(long sourceId, int priority, Integer timeoutOverride, String additionalFiltersJson) {
        public Mapping(long sourceId, int priority) {
            this(sourceId, priority, null, "{}");
        }
    }

    public long source(String name, String aeTitle) {
        long id = idBase + nextSource++;
        try (Connection c = TestDatabase.connect();
                PreparedStatement s = c.prepareStatement("""
                        insert into dicom_source (id, name, ae_title, host, port, calling_ae_title, tls, max_associations,
                            query_timeout_seconds, information_models, relational_queries, enabled, created_at, updated_at)
                        values (?, ?, ?, '127.0.0.1', 11112, 'SPANNER', false, 4, 30, '{study_root,patient_root}', true, true, now(), now())
                        """)) {
            s.setLong(1, id);
            s.setString(2, name + "-" + id);
            s.setString(3, aeTitle);
            s.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a mapping to a config and bumps its version, as the admin API does on every edit. */
    public void addMapping(long configId, Mapping m) {
        try (Connection c = TestDatabase.connect();
                PreparedStatement insert = c.prepareStatement("""
                        insert into source_mapping (config_id, source_type, source_id, priority, timeout_override,
                            enabled, additional_query_filters, created_at, updated_at)
                        values (?, 'modality', ?, ?, ?, true, ?::jsonb, now(), now())
                        """);
                PreparedStatement bump =
                        c.prepareStatement("update spanner_config set version = version + 1 where id = ?")) {
            insert.setLong(1, configId);
            insert.setLong(2, m.sourceId());
            insert.setInt(3, m.priority());
            insert.setObject(4, m.timeoutOverride());
            insert.setString(5, m.additionalFiltersJson());
            insert.executeUpdate();
            bump.setLong(1, configId);
            bump.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets a config's max_concurrent_sources (before its first query, so no version bump is needed). */
    public void maxConcurrentSources(long configId, int max) {
        try (Connection c = TestDatabase.connect();
                PreparedStatement s =
                        c.prepareStatement("update spanner_config set max_concurrent_sources = ? where id = ?")) {
            s.setInt(1, max);
            s.setLong(2, configId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A config over the given mappings.
     *
     * @param threshold the minimum_success_threshold, or null unless the strategy is minimum_threshold
     */
    public long config(
            String failureStrategy,
            Integer threshold,
            String deduplicationStrategy,
            int timeoutSeconds,
            int cacheTtlSeconds,
            List<Mapping> mappings) {
        try (Connection c = TestDatabase.connect()) {
            long configId;
            try (PreparedStatement s = c.prepareStatement("""
                    insert into spanner_config (id, name, description, enabled, max_concurrent_sources, timeout_seconds,
                        retry_attempts, failure_strategy, minimum_success_threshold, deduplication_enabled,
                        deduplication_strategy, cache_ttl_seconds, allowed_calling_ae_titles, enterprise_mode, version,
                        created_at, updated_at)
                    values (?, ?, 'test', true, 8, ?, 1, ?, ?, true, ?, ?, '{}', false, 1, now(), now())
                    returning id
                    """)) {
                // Random and high like the source ids: cached answers are keyed by config id and version in the
                // shared Redis, where an earlier run's config 1 version 1 may still have its answer cached.
                s.setLong(1, idBase + nextConfig++);
                s.setString(2, "test-" + idBase + "-" + System.nanoTime());
                s.setInt(3, timeoutSeconds);
                s.setString(4, failureStrategy);
                s.setObject(5, threshold);
                s.setString(6, deduplicationStrategy);
                s.setInt(7, cacheTtlSeconds);
                var rs = s.executeQuery();
                rs.next();
                configId = rs.getLong(1);
            }
            for (Mapping m : mappings) {
                try (PreparedStatement s = c.prepareStatement("""
                        insert into source_mapping (config_id, source_type, source_id, priority, timeout_override,
                            enabled, additional_query_filters, created_at, updated_at)
                        values (?, 'modality', ?, ?, ?, true, ?::jsonb, now(), now())
                        """)) {
                    s.setLong(1, configId);
                    s.setLong(2, m.sourceId());
                    s.setInt(3, m.priority());
                    s.setObject(4, m.timeoutOverride());
                    s.setString(5, m.additionalFiltersJson());
                    s.executeUpdate();
                }
            }
            return configId;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
