package io.dicomspanner.gateway.querylog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Query log partitions.
 *
 * @param partitionsAhead how many months after the current one have partitions ready
 * @param partitionMaintenanceInterval how often the gateway creates partitions that are due
 */
@Validated
@ConfigurationProperties("spanner.query-log")
public record QueryLogProperties(
        @NotNull @Min(0) @Max(36) Integer partitionsAhead,
        @NotNull Duration partitionMaintenanceInterval) {}
