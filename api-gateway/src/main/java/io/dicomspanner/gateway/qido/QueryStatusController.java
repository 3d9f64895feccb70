package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.gateway.apikey.ApiKeyAuthenticationFilter;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import io.dicomspanner.gateway.audit.AccessAuditFilter;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.NotFoundException;
import io.dicomspanner.gateway.error.ServiceProblemException;
import io.dicomspanner.gateway.span.QueryStore;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The state and the merged answer of a query, as the coordinators keep them in Redis. */
@RestController
class QueryStatusController {

    private final QueryStore store;

    QueryStatusController(QueryStore store) {
        this.store = store;
    }

    /** The status JSON (snake_case); 404 for an unknown or expired query, and for one another key asked. */
    @GetMapping("/api/v1/spanner/queries/{id}/status")
    QueryStatus status(@PathVariable String id, HttpServletRequest request) {
        return visible(checked(id), request);
    }

    /**
     * The status of a query the request's key may read: one it asked itself, or any with an admin key. Any other is
     * answered exactly as an unknown one, so that nobody learns which query ids exist. A query whose asker is not
     * known (not recorded, or expired before its status) is an admin key's only.
     */
    private QueryStatus visible(String queryId, HttpServletRequest request) {
        AuthenticatedKey key = ApiKeyAuthenticationFilter.keyOf(request);
        return store.askedQuery(queryId)
                .filter(asked -> key.isAdmin() || Long.valueOf(key.id()).equals(asked.askerKeyId()))
                .map(QueryStore.AskedQuery::status)
                .orElseThrow(() -> new NotFoundException("query", queryId));
    }

    /**
     * The merged DICOM JSON once the query has ended with results; 202 while it runs; 502/504 when it ended without
     * results (fail_fast); 404 for an unknown query, one another key asked, or results no longer kept.
     */
    @GetMapping("/api/v1/spanner/queries/{id}/results")
    ResponseEntity<?> results(@PathVariable String id, HttpServletRequest request) {
        String queryId = checked(id);
        QueryStatus status = visible(queryId, request);
        String statusUrl = "/api/v1/spanner/queries/" + queryId + "/status";
        if (status.state() == QueryState.RUNNING) {
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .header(QidoAnswers.QUERY_ID_HEADER, queryId)
                    .header(HttpHeaders.LOCATION, statusUrl)
                    .body(Map.of("query_id", queryId, "state", "running", "status_url", statusUrl));
        }
        if (status.state() == QueryState.FAILED
                || status.state() == QueryState.TIMED_OUT
                || status.state() == QueryState.CANCELLED) {
            throw new ServiceProblemException(
                            status.state() == QueryState.TIMED_OUT
                                    ? HttpStatus.GATEWAY_TIMEOUT
                                    : HttpStatus.BAD_GATEWAY,
                            "The query ended " + status.state().name().toLowerCase(java.util.Locale.ROOT)
                                    + " without results; its status names the sources and why")
                    .withHeader(QidoAnswers.QUERY_ID_HEADER, queryId)
                    .withHeader(HttpHeaders.LOCATION, statusUrl);
        }
        String result = store.result(queryId)
                .orElseThrow(() -> new NotFoundException("results (expired or not kept) for query", id));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                .header(QidoAnswers.QUERY_ID_HEADER, queryId)
                .header(HttpHeaders.LOCATION, statusUrl)
                .contentType(new MediaType(QidoMediaType.APPLICATION_DICOM_JSON, StandardCharsets.UTF_8));
        String agent = request.getServerName() + ":" + request.getServerPort();
        for (String warning : QidoAnswers.warnings(status)) {
            answer.header(HttpHeaders.WARNING, QidoAnswers.warning(agent, warning));
        }
        return answer.body(result.getBytes(StandardCharsets.UTF_8));
    }

    /** Query ids are UUIDs; anything else is refused before Redis is asked. */
    private static String checked(String id) {
        try {
            String queryId = UUID.fromString(id).toString();
            AccessAuditFilter.describe(Map.of("query_id", queryId));
            return queryId;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be a query id (UUID)");
        }
    }
}
