package io.dicomspanner.gateway.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import io.dicomspanner.gateway.querylog.QueryLogPartitions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The migrations applied to an empty schema of the test database, as a new installation gets them. */
class SchemaMigrationTest extends GatewayTest {

    private static final String SCHEMA = "migration_from_empty";
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");

    @Autowired
    DataSource dataSource;

    @Autowired
    QueryLogPartitions partitions;

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations("classpath:db/migration")
                .load();
    }

    @AfterEach
    void dropSchema() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").update();
    }

    @Test
    void migrationsCreateEveryTableAndTheQueryLogPartitionsFromEmpty() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").update();

        MigrateResult result = flyway().migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(10);
        assertThat(tables())
                .contains(
                        "api_key",
                        "audit_event",
                        "dicom_source",
                        "flyway_schema_history",
                        "query_log",
                        "query_log_default",
                        "source_key_observation",
                        "source_mapping",
                        "spanner_config");
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        assertThat(partitions())
                .containsExactly(
                        "query_log_" + month.format(MONTH),
                        "query_log_" + month.plusMonths(1).format(MONTH),
                        "query_log_" + month.plusMonths(2).format(MONTH),
                        "query_log_" + month.plusMonths(3).format(MONTH),
                        "query_log_default");
        assertThat(flyway().migrate().migrationsExecuted).isZero();
    }

    @Test
    void aSourceStoredBeforeItsUnmatchedKeysExistedReadsAsNothingKnown() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").update();
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations("classpath:db/migration")
                .target("2")
                .load()
                .migrate();
        JdbcClient inSchema = JdbcClient.create(dataSource);
        inSchema.sql("INSERT INTO " + SCHEMA + ".dicom_source (name, ae_title, host, port, calling_ae_title, tls,"
                        + " max_associations, query_timeout_seconds, information_models, relational_queries, enabled,"
                        + " created_at, updated_at) VALUES ('PACS-A', 'PACSA', '10.1.2.3', 104, 'SPANNER', false, 4,"
                        + " 30, '{study_root}', false, true, now(), now())")
                .update();

        // V3 gives it its unmatched_keys, V4 the table of its observations, V5 its host-name check over TLS, V6 the
        // API keys' scope and limits, V8 the audit trail's access events, V9 its location and tags (none), V10 its
        // protocol (DIMSE, no DICOMweb settings), V11 the DICOMweb result cap (none)
        assertThat(flyway().migrate().migrationsExecuted).isEqualTo(8);
        assertThat(inSchema.sql("SELECT protocol || ':' || (base_url IS NULL) || ':' || (auth_secret IS NULL) FROM "
                                + SCHEMA + ".dicom_source")
                        .query(String.class)
                        .single())
                .isEqualTo("dimse:true:true");

        assertThat(inSchema.sql("SELECT coalesce(location, '-') || ':' || cardinality(tags) FROM " + SCHEMA
                                + ".dicom_source")
                        .query(String.class)
                        .single())
                .isEqualTo("-:0");

        assertThat(inSchema.sql("SELECT tls_verify_hostname FROM " + SCHEMA + ".dicom_source")
                        .query(Boolean.class)
                        .single())
                .isTrue();

        assertThat(inSchema.sql("SELECT cardinality(unmatched_keys) FROM " + SCHEMA + ".dicom_source")
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(inSchema.sql("SELECT is_nullable || ' ' || udt_name FROM information_schema.columns"
                                + " WHERE table_schema = ? AND table_name = 'dicom_source'"
                                + " AND column_name = 'unmatched_keys'")
                        .param(SCHEMA)
                        .query(String.class)
                        .single())
                .isEqualTo("NO _text");
    }

    @Test
    void aKeyStoredBeforeScopesAndLimitsExistedMaySearchEveryConfigAtTheDefaultLimits() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").update();
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations("classpath:db/migration")
                .target("4")
                .load()
                .migrate();
        JdbcClient inSchema = JdbcClient.create(dataSource);
        inSchema.sql("INSERT INTO " + SCHEMA + ".api_key (name, lookup_id, key_hash, scopes, created_at, created_by)"
                        + " VALUES ('ci', '0123456789abcdef', decode(repeat('ab', 32), 'hex'), '{query}', now(), 'x')")
                .update();

        flyway().migrate();

        assertThat(inSchema.sql("SELECT cardinality(allowed_config_ids) || ' ' || coalesce(queries_per_second::text,"
                                + " 'null') || ' ' || coalesce(queries_in_flight::text, 'null') FROM " + SCHEMA
                                + ".api_key")
                        .query(String.class)
                        .single())
                .isEqualTo("0 null null");
    }

    @Test
    void newPartitionTakesOverRowsThatWaitedInTheDefaultPartition() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").update();
        flyway().migrate();
        JdbcClient inSchema = JdbcClient.create(dataSource);
        String insert = "INSERT INTO " + SCHEMA + ".query_log (id, started_at, query_level, entry_point,"
                + " tokenized_filters, sources_asked, sources_answered, sources_failed, matches_before_dedup,"
                + " matches_after_dedup, duration_ms, status) VALUES (gen_random_uuid(), cast(? as timestamptz),"
                + " 'study', 'qido', '{}', 1, 1, 0, 0, 0, 5, 'completed')";
        inSchema.sql(insert).param("2035-03-31T23:59:59Z").update();
        inSchema.sql(insert).param("2035-04-01T00:00:00Z").update();

        int created = inSchema.sql("SELECT " + SCHEMA + ".query_log_ensure_partitions(cast(? as date), 1)")
                .param("2035-03-15")
                .query(Integer.class)
                .single();

        assertThat(created).isEqualTo(1);
        assertThat(inSchema.sql("SELECT tableoid::regclass::text || ' ' || to_char(started_at AT TIME ZONE 'UTC',"
                                + " 'YYYY-MM-DD HH24:MI:SS') FROM " + SCHEMA + ".query_log ORDER BY started_at")
                        .query(String.class)
                        .list())
                .containsExactly(
                        SCHEMA + ".query_log_2035_03 2035-03-31 23:59:59",
                        SCHEMA + ".query_log_default 2035-04-01 00:00:00");
    }

    @Test
    void maintenanceKeepsTheConfiguredMonthsAheadAndIsIdempotent() {
        partitions.ensurePartitions();

        assertThat(partitions.ensurePartitions()).isZero();
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        assertThat(jdbc.sql("SELECT to_regclass(?) IS NOT NULL")
                        .param("public.query_log_" + month.plusMonths(3).format(MONTH))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    private List<String> tables() {
        return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")
                .param(SCHEMA)
                .query(String.class)
                .list();
    }

    private List<String> partitions() {
        return jdbc.sql("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace"
                        + " WHERE p.relname = 'query_log' AND n.nspname = ? ORDER BY 1")
                .param(SCHEMA)
                .query(String.class)
                .list();
    }
}
