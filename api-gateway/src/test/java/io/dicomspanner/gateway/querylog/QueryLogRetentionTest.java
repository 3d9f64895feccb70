package io.dicomspanner.gateway.querylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Month partitions of the query log older than {@code spanner.query-log.retention} (13 months here, the default) are
 * dropped by the gateway itself, each with an audit event, counted in a metric; with real partitions in PostgreSQL.
 */
class QueryLogRetentionTest extends GatewayTest {

    @Autowired
    QueryLogPartitions partitions;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    /** The oldest month the retention keeps: the month of today minus 13 months. */
    private LocalDate oldestKept;

    private LocalDate expired;
    private LocalDate expiredBefore;

    @BeforeEach
    void partitionsOfPastMonths() {
        oldestKept = LocalDate.now(ZoneOffset.UTC).minusMonths(13).withDayOfMonth(1);
        expired = oldestKept.minusMonths(1);
        expiredBefore = oldestKept.minusMonths(2);
        jdbc.sql("select query_log_ensure_partitions(?, 3)")
                .param(expiredBefore)
                .query(Integer.class)
                .single();
        insertRow(expiredBefore.plusDays(3));
        insertRow(expired.plusDays(27));
        insertRow(expired.plusDays(1));
        insertRow(oldestKept.plusDays(2));
    }

    @AfterEach
    void dropPastPartitions() {
        for (LocalDate month : List.of(expiredBefore, expired, oldestKept)) {
            jdbc.sql("drop table if exists " + QueryLogPartitions.partitionOf(month))
                    .update();
        }
    }

    @Test
    void partitionsPastTheRetentionAreDroppedAuditedAndCounted() {
        double droppedBefore =
                meters.get("spanner.query.log.partitions.dropped").counter().count();

        List<String> dropped = partitions.dropExpiredPartitions();

        assertThat(dropped)
                .containsExactly(
                        QueryLogPartitions.partitionOf(expiredBefore), QueryLogPartitions.partitionOf(expired));
        assertThat(exists(expiredBefore)).isFalse();
        assertThat(exists(expired)).isFalse();
        assertThat(exists(oldestKept)).isTrue();
        assertThat(jdbc.sql("select count(*) from query_log").query(Long.class).single())
                .isEqualTo(1);
        assertThat(meters.get("spanner.query.log.partitions.dropped").counter().count() - droppedBefore)
                .isEqualTo(2.0);
        double age =
                meters.get("spanner.query.log.oldest.partition.age").gauge().value();
        long expectedAge = Instant.now().getEpochSecond()
                - oldestKept.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        assertThat(age).isBetween(expectedAge - 60.0, expectedAge + 1.0);

        JsonNode events = get("/api/v1/audit-events?entity_type=query_log_partition")
                .body()
                .get("items");
        assertThat(events.size()).isEqualTo(2);
        JsonNode newest = events.get(0);
        assertThat(newest.get("actor").asString()).isEqualTo("system:query-log-retention");
        assertThat(newest.get("action").asString()).isEqualTo("dropped");
        assertThat(newest.get("outcome").asString()).isEqualTo("success");
        assertThat(newest.get("entity_id").isNull()).isTrue();
        assertThat(newest.get("objects")).isEqualTo(json.readTree(jsonOf("""
                {'partition': '%s', 'month': '%s', 'rows': 2, 'retention': 'P13M'}""".formatted(
                QueryLogPartitions.partitionOf(expired), expired.toString().substring(0, 7)))));
        assertThat(events.get(1).get("objects").get("partition").asString())
                .isEqualTo(QueryLogPartitions.partitionOf(expiredBefore));
        assertThat(events.get(1).get("objects").get("rows").asInt()).isEqualTo(1);

        assertThat(partitions.dropExpiredPartitions())
                .as("nothing is left to drop")
                .isEmpty();
    }

    @Test
    void whileAnotherGatewayHoldsTheRetentionLockNothingIsDropped() throws Exception {
        try (Connection other = dataSource.getConnection();
                Statement statement = other.createStatement()) {
            statement.execute("select pg_advisory_lock(hashtext(current_schema() || '.query_log_retention'))");

            assertThat(partitions.dropExpiredPartitions()).isEmpty();
            assertThat(exists(expired)).isTrue();

            statement.execute("select pg_advisory_unlock(hashtext(current_schema() || '.query_log_retention'))");
        }
        assertThat(partitions.dropExpiredPartitions()).hasSize(2);
        assertThat(jdbc.sql("select count(*) from audit_event where entity_type = 'query_log_partition'")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    private boolean exists(LocalDate month) {
        return jdbc.sql("select to_regclass(?) is not null")
                .param(QueryLogPartitions.partitionOf(month))
                .query(Boolean.class)
                .single();
    }

    private void insertRow(LocalDate day) {
        jdbc.sql("""
                        insert into query_log (id, started_at, query_level, entry_point, tokenized_filters,
                            sources_asked, sources_answered, sources_failed, matches_before_dedup, matches_after_dedup,
                            duration_ms, status)
                        values (gen_random_uuid(), ?, 'study', 'qido', '{}', 1, 1, 0, 0, 0, 5, 'completed')""")
                .param(java.sql.Timestamp.from(day.atTime(12, 0).toInstant(ZoneOffset.UTC)))
                .update();
    }
}
