package io.dicomspanner.gateway.health;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.RedisKeys;
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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The C-ECHO health of a DICOM source as the workers record it in Redis ({@link RedisKeys#sourceHealth}), and a way
 * to ask for a fresh echo.
 */
@RestController
class SourceHealthController {

    private record Source(long id, String name, String aeTitle) {}

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
     * {@code source_id}, {@code name}, {@code ae_title}, then what the last echo recorded (its members in snake_case);
     * {@code "state": "unknown"} when no echo has been recorded yet.
     */
    @GetMapping("/api/v1/sources/{id}/health")
    Map<String, Object> health(@PathVariable long id) {
        Source source = source(id);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("source_id", source.id());
        health.put("name", source.name());
        health.put("ae_title", source.aeTitle());
        String recorded = store.read(RedisKeys.sourceHealth(id)).orElse(null);
        if (recorded == null) {
            health.put("state", "unknown");
            return health;
        }
        JsonNode node = codec.readTree(recorded);
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                health.putIfAbsent(snakeCase(member.getKey()), member.getValue());
            }
        } else {
            health.put("state", node);
        }
        return health;
    }

    /** Asks the workers of the source for a C-ECHO now: 202 with the health URL; 503 if no worker serves it. */
    @PostMapping("/api/v1/sources/{id}/health/echo")
    ResponseEntity<Map<String, Object>> echo(@PathVariable long id, HttpServletRequest request) {
        Source source = source(id);
        String requestedBy =
                request.getAttribute(ApiKeyAuthenticationFilter.AUTHENTICATED_KEY) instanceof AuthenticatedKey key
                        ? "api-key:" + key.id()
                        : "unknown";
        EchoRequest echo = new EchoRequest(
                UUID.randomUUID().toString(),
                source.id(),
                requestedBy,
                clock.instant().toEpochMilli());
        publisher.publish(
                properties.healthEchoExchange(),
                Topology.healthEchoRoutingKey(source.id()),
                echo,
                echo.requestId(),
                null,
                "No worker serves source " + source.id());
        String healthUrl = "/api/v1/sources/" + source.id() + "/health";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", echo.requestId());
        body.put("source_id", source.id());
        body.put("health_url", healthUrl);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, healthUrl)
                .body(body);
    }

    private Source source(long id) {
        return jdbc.sql("select id, name, ae_title from dicom_source where id = :id")
                .param("id", id)
                .query(Source.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("DICOM source", id));
    }

    private static String snakeCase(String name) {
        StringBuilder snake = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }
}
