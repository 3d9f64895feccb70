package io.dicomspanner.gateway.querylog;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Keeps monthly query log partitions ready ahead of time: on start and then every
 * {@code spanner.query-log.partition-maintenance-interval}, for the current UTC month and
 * {@code spanner.query-log.partitions-ahead} months after it.
 */
@Component
@ConditionalOnWebApplication
public class QueryLogPartitions implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(QueryLogPartitions.class);

    private final JdbcClient jdbc;
    private final QueryLogProperties properties;
    private final Clock clock;

    public QueryLogPartitions(JdbcClient jdbc, QueryLogProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::ensurePartitions, properties.partitionMaintenanceInterval(), Duration.ZERO));
    }

    /** Creates the partitions that are due; returns how many it created. */
    public int ensurePartitions() {
        LocalDate currentMonth = LocalDate.now(clock.withZone(ZoneOffset.UTC)).withDayOfMonth(1);
        int created = jdbc.sql("select query_log_ensure_partitions(?, ?)")
                .param(currentMonth)
                .param(properties.partitionsAhead() + 1)
                .query(Integer.class)
                .single();
        if (created > 0) {
            log.info("Created {} query log partition(s) from {}", created, currentMonth);
        }
        return created;
    }
}
