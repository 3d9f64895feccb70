package io.dicomspanner.gateway.health;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.gateway.apikey.ApiKeyAuthenticationFilter;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import io.dicomspanner.gateway.error.NotFoundException;
import io.dicomspanner.gateway.span.ConfirmedPublisher;
import io.dicomspanner.gateway.span.QueryStore;
import io.dicomspanner.gateway.span.SpanProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/**
 * The C-ECHO health of a DICOM source as the workers record it in Redis ({@link RedisKeys#sourceHealth}, a
 * {@link SourceHealth}), and a way to ask for a fresh echo.
 */
@RestController
class SourceHealthController {

    private static final Logger log = LoggerFactory.getLogger(SourceHealthController.class);

    private final JdbcClient jdbc;
    private final QueryStore store;
    private final MessageCodec codec = MessageCodec.instance();
    private final ConfirmedPublisher publisher;
    private final SpanProperties properties;
    private final Clock clock;

    SourceHealthController(
            JdbcClient jdbc, QueryStore store, ConfirmedPublisher publisher, SpanProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * {@code source_id}, {@code name}, {@code ae_title}, {@code verified_keys} (the matching keys the worker verifies
     * itself for the source, declared then observed), then the last recorded echo: {@code state} ({@code up} or
     * {@code down}), {@code latency_millis}, {@code dimse_status}, {@code error}, {@code started_at},
     * {@code checked_at} (docs/api.md describes each); only {@code "state": "unknown"} when no echo is recorded (or
     * the entry cannot be read).
     */
    @GetMapping("/api/v1/sources/{id}/health")
    Map<String, Object> health(@PathVariable long id) {
        SourceEndpoint source = source(id);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("source_id", source.sourceId());
        health.put("name", source.name());
        health.put("ae_title", source.aeTitle());
        health.put("verified_keys", source.unmatchedKeys());
        SourceHealth recorded = recorded(id);
        if (recorded == null) {
            health.put("state", "unknown");
            return health;
        }
        health.put("state", recorded.state().wire());
        health.put("latency_millis", recorded.latencyMillis());
        health.put("dimse_status", recorded.dimseStatus());
        health.put("error", recorded.error());
        health.put(
                "started_at",
                recorded.startedAt() == null ? null : recorded.startedAt().toString());
        health.put(
                "checked_at",
                recorded.checkedAt() == null ? null : recorded.checkedAt().toString());
        return health;
    }

    private SourceHealth recorded(long sourceId) {
        String recorded = store.read(RedisKeys.sourceHealth(sourceId)).orElse(null);
        if (recorded == null) {
            return null;
        }
        try {
            return codec.read(recorded, SourceHealth.class);
        } catch (JacksonException e) {
            log.warn(
                    "Health entry of source {} is not a source health, shown as unknown: {}", sourceId, e.getMessage());
            return null;
        }
    }

    /** Asks the workers of the source for a C-ECHO now: 202 with the health URL; 503 if no worker serves it. */
    @PostMapping("/api/v1/sources/{id}/health/echo")
    ResponseEntity<Map<String, Object>> echo(@PathVariable long id, HttpServletRequest request) {
        SourceEndpoint source = source(id);
        String requestedBy =
                request.getAttribute(ApiKeyAuthenticationFilter.AUTHENTICATED_KEY) instanceof AuthenticatedKey key
                        ? "api-key:" + key.id()
                        : "unknown";
        EchoRequest echo = new EchoRequest(
                UUID.randomUUID().toString(),
                source.sourceId(),
                requestedBy,
                clock.instant().toEpochMilli());
        publisher.publish(
                properties.healthEchoExchange(),
                Topology.healthEchoRoutingKey(source.sourceId()),
                echo,
                echo.requestId(),
                null,
                "No worker serves source " + source.sourceId());
        String healthUrl = "/api/v1/sources/" + source.sourceId() + "/health";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", echo.requestId());
        body.put("source_id", source.sourceId());
        body.put("health_url", healthUrl);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, healthUrl)
                .body(body);
    }

    private SourceEndpoint source(long id) {
        return jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s where s.id = :id")
                .param("id", id)
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .optional()
                .orElseThrow(() -> new NotFoundException("DICOM source", id));
    }
}
