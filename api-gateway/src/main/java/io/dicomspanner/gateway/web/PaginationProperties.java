package io.dicomspanner.gateway.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Paging of list endpoints.
 *
 * @param defaultPageSize items per page when the request names no {@code size}
 * @param maxPageSize the largest {@code size} a request may ask for
 */
@Validated
@ConfigurationProperties("spanner.api")
public record PaginationProperties(
        @NotNull @Min(1) Integer defaultPageSize,
        @NotNull @Min(1) @Max(10_000) Integer maxPageSize) {}
