package io.dicomspanner.gateway.span;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.UUID;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway hands queries to the coordinators ({@code spanner.span.*}; defaults in application.yaml, described in
 * docs/configuration.md).
 *
 * @param requestsExchange exchange the span requests are published to (Topology.REQUESTS_EXCHANGE)
 * @param requestsRoutingKey routing key of span requests (Topology.REQUESTS_QUEUE)
 * @param healthEchoExchange exchange that carries fresh C-ECHO requests to the workers (Topology.HEALTH_ECHO_EXCHANGE)
 * @param instanceId names this gateway's answer queue; empty = a random id per start
 * @param deadlineMargin added to the config's timeout: time for the coordinator to merge and answer after it
 * @param maxWait the longest a synchronous query is waited for, whatever its config's timeout
 * @param publishConfirmTimeout how long the broker may take to confirm a publish before the query is refused (503)
 * @param overloadRetryAfter the Retry-After of a 503 when the broker refuses a request
 * @param statusTtl how long the gateway's first RUNNING status of a query stays in Redis if no coordinator replaces it
 * @param askerTtl how long the gateway remembers which API key asked a query; keep it at least the coordinators'
 *     {@code status-ttl} and {@code result-ttl}: once it is gone, only admin keys may read the query's status and results
 * @param dicomwebBaseUrl where clients reach this gateway's {@code /dicomweb} paths (e.g. {@code
 *     https://spanner.example.org/dicomweb}); QIDO-RS results then carry Retrieve URLs under it. Empty: none
 */
@Validated
@ConfigurationProperties("spanner.span")
public record SpanProperties(
        @NotBlank String requestsExchange,
        @NotBlank String requestsRoutingKey,
        @NotBlank String healthEchoExchange,
        String instanceId,
        @NotNull Duration deadlineMargin,
        @NotNull Duration maxWait,
        @NotNull Duration publishConfirmTimeout,
        @NotNull Duration overloadRetryAfter,
        @NotNull Duration statusTtl,
        @NotNull @DurationMin(seconds = 1) Duration askerTtl,
        String dicomwebBaseUrl) {

    public SpanProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = UUID.randomUUID().toString();
        }
    }
}
