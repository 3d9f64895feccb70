package io.dicomspanner.gateway.querylog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Query log partitions.
 *
 * @param partitionsAhead how many months after the current one have partitions ready
 * @param partitionMaintenanceInterval how often the gateway creates partitions that are due and drops those past
 *     their retention
 * @param retention how long the query log keeps a query: a month partition is dropped once its whole month is
 *     older than this (a {@link Period}: {@code 13m} is 13 months, {@code 400d} 400 days)
 */
@Validated
@ConfigurationProperties("spanner.query-log")
public record QueryLogProperties(
        @NotNull @Min(0) @Max(36) Integer partitionsAhead,
        @NotNull Duration partitionMaintenanceInterval,
        @NotNull Period retention) {

    public QueryLogProperties {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("spanner.query-log.retention must be positive, is " + retention);
        }
    }
}
