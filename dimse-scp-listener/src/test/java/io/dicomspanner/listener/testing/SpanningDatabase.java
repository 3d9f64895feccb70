package io.dicomspanner.listener.testing;

import io.dicomspanner.schema.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sources and spanning configs written into a {@link TestDatabase} as the admin API would store them. Ids are random
 * and high, so task queues ({@code spanner.tasks.source.<id>}) and Redis keys of this run meet no other test's on the
 * shared RabbitMQ and Redis.
 */
public final class SpanningDatabase {

    private final TestDatabase db;
    private final long idBase = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    private int next;

    public SpanningDatabase(TestDatabase db) {
        this.db = db;
    }

    /** A DICOM source; {@code relational} false for strictly hierarchical PACS such as dcmqrscp. */
    public long source(String name, String aeTitle, int port, boolean relational) {
        long id = idBase + next++;
        try (Connection c = db.connect();
                PreparedStatement s = c.prepareStatement("""
                        insert into dicom_source (id, name, ae_title, host, port, calling_ae_title, tls, max_associations,
                            query_timeout_seconds, information_models, relational_queries, enabled, created_at, updated_at)
                        values (?, ?, ?, '127.0.0.1', ?, 'SPANNER', false, 4, 30, '{study_root,patient_root}', ?, true,
                            now(), now())
                        """)) {
            s.setLong(1, id);
            s.setString(2, name);
            s.setString(3, aeTitle);
            s.setInt(4, port);
            s.setBoolean(5, relational);
            s.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A partial_results config without cache (every query asks the PACS) answering under {@code scpAeTitle}, with the
     * sources in priority order.
     */
    public long config(
            String scpAeTitle,
            boolean enabled,
            List<String> allowedCallers,
            String deduplicationStrategy,
            List<Long> sources) {
        return config(scpAeTitle, enabled, allowedCallers, deduplicationStrategy, 20, sources);
    }

    /** As {@link #config(String, boolean, List, String, List)} with the config's timeout. */
    public long config(
            String scpAeTitle,
            boolean enabled,
            List<String> allowedCallers,
            String deduplicationStrategy,
            int timeoutSeconds,
            List<Long> sources) {
        long id = idBase + next++;
        try (Connection c = db.connect()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into spanner_config (id, name, description, enabled, max_concurrent_sources, timeout_seconds,
                        retry_attempts, failure_strategy, minimum_success_threshold, deduplication_enabled,
                        deduplication_strategy, cache_ttl_seconds, scp_ae_title, allowed_calling_ae_titles,
                        enterprise_mode, version, created_at, updated_at)
                    values (?, ?, 'listener test', ?, 8, ?, 0, 'partial_results', null, true, ?, 0, ?, ?,
                        false, 1, now(), now())
                    """)) {
                s.setLong(1, id);
                s.setString(2, "listener-test-" + id);
                s.setBoolean(3, enabled);
                s.setInt(4, timeoutSeconds);
                s.setString(5, deduplicationStrategy);
                s.setString(6, scpAeTitle);
                s.setArray(7, c.createArrayOf("text", allowedCallers.toArray()));
                s.executeUpdate();
            }
            int priority = 1;
            for (long source : sources) {
                try (PreparedStatement s = c.prepareStatement("""
                        insert into source_mapping (config_id, source_type, source_id, priority, timeout_override,
                            enabled, additional_query_filters, created_at, updated_at)
                        values (?, 'modality', ?, ?, null, true, '{}'::jsonb, now(), now())
                        """)) {
                    s.setLong(1, id);
                    s.setLong(2, source);
                    s.setInt(3, priority++);
                    s.executeUpdate();
                }
            }
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
