package io.dicomspanner.gateway.health;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.gateway.apikey.ApiKeyAuthenticationFilter;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The C-ECHO health of a DICOM source ({@link SourceHealthService}), and a way to ask for a fresh echo.
 */
@RestController
class SourceHealthController {

    private final SourceHealthService health;

    SourceHealthController(SourceHealthService health) {
        this.health = health;
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
        SourceEndpoint source = health.source(id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("source_id", source.sourceId());
        answer.put("name", source.name());
        answer.put("ae_title", source.aeTitle());
        answer.put("verified_keys", source.unmatchedKeys());
        SourceHealth recorded = health.recorded(id).orElse(null);
        if (recorded == null) {
            answer.put("state", "unknown");
            return answer;
        }
        answer.put("state", recorded.state().wire());
        answer.put("latency_millis", recorded.latencyMillis());
        answer.put("dimse_status", recorded.dimseStatus());
        answer.put("error", recorded.error());
        answer.put(
                "started_at",
                recorded.startedAt() == null ? null : recorded.startedAt().toString());
        answer.put(
                "checked_at",
                recorded.checkedAt() == null ? null : recorded.checkedAt().toString());
        return answer;
    }

    /** Asks the workers of the source for a C-ECHO now: 202 with the health URL; 503 if no worker serves it. */
    @PostMapping("/api/v1/sources/{id}/health/echo")
    ResponseEntity<Map<String, Object>> echo(@PathVariable long id, HttpServletRequest request) {
        String requestedBy =
                request.getAttribute(ApiKeyAuthenticationFilter.AUTHENTICATED_KEY) instanceof AuthenticatedKey key
                        ? "api-key:" + key.id()
                        : "unknown";
        EchoRequest echo = health.requestEcho(id, requestedBy);
        String healthUrl = "/api/v1/sources/" + echo.sourceId() + "/health";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", echo.requestId());
        body.put("source_id", echo.sourceId());
        body.put("health_url", healthUrl);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, healthUrl)
                .body(body);
    }
}
