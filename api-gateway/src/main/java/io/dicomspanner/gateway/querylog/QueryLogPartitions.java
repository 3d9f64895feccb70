package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.audit.AuditOutcome;
import io.dicomspanner.common.audit.AuditRecord;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the monthly query log partitions: on start and then every
 * {@code spanner.query-log.partition-maintenance-interval}, creates them for the current UTC month and
 * {@code spanner.query-log.partitions-ahead} months after it, and drops those whose whole month is older than
 * {@code spanner.query-log.retention}. Each drop is audited ({@code query_log_partition}, {@code dropped}) in the
 * drop's own transaction, so a partition is never gone without its audit event; and it is counted in
 * {@code spanner_query_log_partitions_dropped_total}. Of several gateways, one drops at a time: the drop holds a
 * PostgreSQL advisory lock for its transaction, and another gateway that finds it held leaves the drop to it.
 */
@Component
@ConditionalOnWebApplication
public class QueryLogPartitions implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(QueryLogPartitions.class);
    private static final Pattern MONTH_PARTITION = Pattern.compile("query_log_(\\d{4})_(\\d{2})");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");

    private final JdbcClient jdbc;
    private final QueryLogProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final AuditTrail auditTrail;
    private final Counter dropped;
    /** Seconds since the start of the oldest month partition, as of the last maintenance; 0 before the first. */
    private final AtomicLong oldestPartitionAge = new AtomicLong();

    public QueryLogPartitions(
            JdbcClient jdbc,
            QueryLogProperties properties,
            Clock clock,
            TransactionTemplate transactions,
            AuditTrail auditTrail,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.transactions = transactions;
        this.auditTrail = auditTrail;
        this.dropped = Counter.builder("spanner.query.log.partitions.dropped")
                .description("Query log month partitions dropped past spanner.query-log.retention")
                .register(registry);
        Gauge.builder("spanner.query.log.oldest.partition.age", oldestPartitionAge, AtomicLong::get)
                .description("Age of the start of the oldest query log month partition")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::maintain, properties.partitionMaintenanceInterval(), Duration.ZERO));
    }

    /** Creates the partitions that are due and drops the expired ones; a failure waits for the next round. */
    void maintain() {
        try {
            ensurePartitions();
        } catch (RuntimeException e) {
            log.error(
                    "Query log partitions could not be created; retrying in {}",
                    properties.partitionMaintenanceInterval(),
                    e);
        }
        try {
            dropExpiredPartitions();
        } catch (RuntimeException e) {
            log.error(
                    "Expired query log partitions could not be dropped; retrying in {}",
                    properties.partitionMaintenanceInterval(),
                    e);
        }
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

    /**
     * Drops every month partition whose month ended before now minus the retention, oldest first, each with its
     * audit event in one transaction.
     *
     * @return the names of the partitions dropped; none when another gateway holds the lock
     */
    public List<String> dropExpiredPartitions() {
        Instant now = clock.instant();
        LocalDate cutoff = LocalDate.ofInstant(now, ZoneOffset.UTC).minus(properties.retention());
        List<String> droppedNow = transactions.execute(status -> {
            boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(hashtext(current_schema() || ?))")
                    .param(".query_log_retention")
                    .query(Boolean.class)
                    .single();
            if (!locked) {
                log.info("Another gateway is dropping expired query log partitions");
                return List.<String>of();
            }
            List<String> names = new ArrayList<>();
            for (String partition : monthPartitions()) {
                LocalDate month = monthOf(partition);
                if (month.plusMonths(1).isAfter(cutoff)) {
                    break; // sorted: every later month is younger still
                }
                long rows = jdbc.sql("select count(*) from " + partition)
                        .query(Long.class)
                        .single();
                jdbc.sql("drop table " + partition).update();
                Map<String, Object> objects = new LinkedHashMap<>();
                objects.put("partition", partition);
                objects.put("month", month.toString().substring(0, 7));
                objects.put("rows", rows);
                objects.put("retention", properties.retention().toString());
                auditTrail.recordInTransaction(new AuditRecord(
                        UUID.randomUUID(),
                        now,
                        "system:query-log-retention",
                        null,
                        null,
                        null,
                        AuditedEntity.QUERY_LOG_PARTITION.wire(),
                        null,
                        AuditAction.DROPPED.wire(),
                        AuditOutcome.SUCCESS,
                        objects));
                names.add(partition);
                log.info(
                        "Dropped query log partition {} ({} rows): older than {}",
                        partition,
                        rows,
                        properties.retention());
            }
            return names;
        });
        dropped.increment(droppedNow.size());
        List<String> left = monthPartitions();
        oldestPartitionAge.set(
                left.isEmpty()
                        ? 0
                        : Math.max(
                                0,
                                Duration.between(
                                                monthOf(left.get(0))
                                                        .atStartOfDay(ZoneOffset.UTC)
                                                        .toInstant(),
                                                now)
                                        .toSeconds()));
        return droppedNow;
    }

    /** The month partitions of {@code query_log} in this schema, oldest first. */
    List<String> monthPartitions() {
        return jdbc.sql("""
                        select child.relname from pg_inherits
                        join pg_class child on child.oid = pg_inherits.inhrelid
                        join pg_class parent on parent.oid = pg_inherits.inhparent
                        join pg_namespace ns on ns.oid = parent.relnamespace
                        where parent.relname = 'query_log' and ns.nspname = current_schema()
                        """).query(String.class).list().stream()
                .filter(name -> MONTH_PARTITION.matcher(name).matches())
                .sorted()
                .toList();
    }

    private static LocalDate monthOf(String partition) {
        Matcher matcher = MONTH_PARTITION.matcher(partition);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(partition);
        }
        return LocalDate.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), 1);
    }

    static String partitionOf(LocalDate month) {
        return "query_log_" + month.format(MONTH);
    }
}
