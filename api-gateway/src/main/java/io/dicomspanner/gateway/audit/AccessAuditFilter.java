package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.audit.AuditOutcome;
import io.dicomspanner.common.audit.AuditRecord;
import io.dicomspanner.common.outbox.OutboxFullException;
import io.dicomspanner.gateway.apikey.ApiKeyAuthenticationFilter;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import io.dicomspanner.gateway.error.ProblemResponses;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Audits every request that reads PHI (searches, query status and results, the query log), whatever its outcome, and
 * every request of the rest of the API that was refused (401, 403); admin changes are audited in their own
 * transaction by {@link AuditTrail#record}. It runs after the client address is resolved and before the API key
 * check, so that it sees every refusal; it records once the response is complete (after the async dispatch of a
 * search that waited for a coordinator). The actor is the key (id and name) or {@code anonymous}, the address the
 * real client's. Controllers add what they accessed with {@link #describe}, PHI as tokens only; the raw query string
 * is never recorded.
 *
 * <p>While the audit outbox is full, a request that would read PHI is refused with 503 before it is served.
 */
public class AccessAuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AccessAuditFilter.class);
    private static final String OBJECTS = AccessAuditFilter.class.getName() + ".objects";

    private final AuditTrail auditTrail;
    private final ProblemResponses problems;
    private final Clock clock;

    public AccessAuditFilter(AuditTrail auditTrail, ProblemResponses problems, Clock clock) {
        this.auditTrail = auditTrail;
        this.problems = problems;
        this.clock = clock;
    }

    /**
     * Adds to what the current request accessed, for its audit event: ids, config, tokenized filters; never clear
     * PHI. Later calls add to (and may replace entries of) earlier ones.
     */
    public static void describe(Map<String, ?> objects) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null) {
            return;
        }
        Map<String, Object> described = new LinkedHashMap<>();
        if (attributes.getAttribute(OBJECTS, RequestAttributes.SCOPE_REQUEST) instanceof Map<?, ?> earlier) {
            earlier.forEach((name, value) -> described.put(String.valueOf(name), value));
        }
        described.putAll(objects);
        attributes.setAttribute(OBJECTS, described, RequestAttributes.SCOPE_REQUEST);
    }

    /** What kind of access a path is; {@code null} for one that is not audited at all. */
    static AuditedEntity accessOf(String path) {
        if (path.startsWith("/api/v1/spanner/qido/") || path.startsWith("/dicomweb/")) {
            return AuditedEntity.QUERY;
        }
        if (path.startsWith("/api/v1/spanner/queries/")) {
            return AuditedEntity.QUERY_RESULT;
        }
        if (path.equals("/api/v1/query-log") || path.startsWith("/api/v1/query-log/")) {
            return AuditedEntity.QUERY_LOG;
        }
        if (path.startsWith("/api/") || path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
            return AuditedEntity.API_REQUEST;
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        AuditedEntity access = accessOf(path);
        if (access == null) {
            chain.doFilter(request, response);
            return;
        }
        if (access != AuditedEntity.API_REQUEST) {
            try {
                auditTrail.checkAdmission();
            } catch (OutboxFullException e) {
                log.error("Refusing {} {}: {}", request.getMethod(), path, e.getMessage());
                problems.write(
                        response,
                        problems.problem(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "The audit trail cannot record this request now (PostgreSQL is away and the audit"
                                        + " outbox is full); try again later",
                                path));
                record(request, response, access, path);
                return;
            }
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Completion(request, response, access, path));
            } else {
                record(request, response, access, path);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, AuditedEntity access, String path) {
        int status = response.getStatus();
        boolean refused = status == HttpStatus.UNAUTHORIZED.value()
                || status == HttpStatus.FORBIDDEN.value()
                || status == HttpStatus.TOO_MANY_REQUESTS.value();
        if (access == AuditedEntity.API_REQUEST && !refused) {
            return;
        }
        AuthenticatedKey key = keyOf(request);
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("method", request.getMethod());
        objects.put("path", path);
        objects.put("status", status);
        if (request.getAttribute(OBJECTS) instanceof Map<?, ?> described) {
            described.forEach((name, value) -> objects.put(String.valueOf(name), value));
        }
        AuditOutcome outcome =
                refused ? AuditOutcome.REFUSED : status < 400 ? AuditOutcome.SUCCESS : AuditOutcome.FAILED;
        AuditAction action = refused
                ? AuditAction.REFUSED
                : switch (access) {
                    case QUERY_RESULT -> AuditAction.READ;
                    case QUERY_LOG -> request.getMethod().equals("GET") ? AuditAction.READ : AuditAction.SEARCHED;
                    default -> AuditAction.SEARCHED;
                };
        try {
            auditTrail.recordAccess(new AuditRecord(
                    UUID.randomUUID(),
                    clock.instant(),
                    key == null ? "anonymous" : "api-key:" + key.name(),
                    key == null ? null : key.id(),
                    request.getRemoteAddr(),
                    null,
                    access.wire(),
                    null,
                    action.wire(),
                    outcome,
                    objects));
        } catch (RuntimeException e) {
            // Counted in spanner_outbox_failures_total; the response has gone, only this trace is left to give.
            log.error("Audit event of {} {} ({}) by {} lost: {}", request.getMethod(), path, status, key, e.toString());
        }
    }

    private static AuthenticatedKey keyOf(HttpServletRequest request) {
        if (request.getAttribute(ApiKeyAuthenticationFilter.AUTHENTICATED_KEY) instanceof AuthenticatedKey key) {
            return key;
        }
        if (request.getAttribute(ApiKeyAuthenticationFilter.REFUSED_KEY) instanceof AuthenticatedKey key) {
            return key;
        }
        return null;
    }

    private final class Completion implements AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AuditedEntity access;
        private final String path;

        Completion(HttpServletRequest request, HttpServletResponse response, AuditedEntity access, String path) {
            this.request = request;
            this.response = response;
            this.access = access;
            this.path = path;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            record(request, response, access, path);
        }

        @Override
        public void onTimeout(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
