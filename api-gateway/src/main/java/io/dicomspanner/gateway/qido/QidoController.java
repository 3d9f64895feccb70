package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.common.ratelimit.RequestLimiter;
import io.dicomspanner.common.span.SpanClient;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.gateway.apikey.ApiKeyAuthenticationFilter;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import io.dicomspanner.gateway.apikey.KeyLimitsPolicy;
import io.dicomspanner.gateway.atna.GatewayAudit;
import io.dicomspanner.gateway.audit.AccessAuditFilter;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.ServiceProblemException;
import io.dicomspanner.gateway.qido.QidoQueryParser.ParsedQuery;
import io.dicomspanner.gateway.qido.QidoQueryParser.PathUids;
import io.dicomspanner.gateway.span.QueryStore;
import io.dicomspanner.gateway.span.SpanRequests;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * QIDO-RS searches over a spanning config: the spanner's own paths ({@code /api/v1/spanner/qido/...}) and the
 * standard DICOMweb ones ({@code /dicomweb/{config}/...}), so that any QIDO-RS client can treat a config as one PACS.
 * Every request is parsed and checked completely before anything is published.
 */
@RestController
@ApiResponse(
        responseCode = "200",
        description = "The matches of every source, merged (an empty array when none); a Warning: 299 header per source"
                + " that did not answer and per source that could not apply a matching key",
        content = {
            @Content(mediaType = "application/dicom+json", schema = @Schema(type = "array")),
            @Content(mediaType = "multipart/related; type=\"application/dicom+xml\"")
        })
@ApiResponse(
        responseCode = "202",
        description = "async=true: the query id and the URLs of its status and results",
        content = @Content(mediaType = "application/json"))
class QidoController {

    private static final Logger log = LoggerFactory.getLogger(QidoController.class);

    private final QidoQueryParser parser;
    private final SpanningConfigs configs;
    private final SpanRequests spanRequests;
    private final QueryStore queryStore;
    private final CachedAnswers cachedAnswers;
    private final Clock clock;
    private final Long defaultConfigId;
    private final KeyLimitsPolicy keyLimits;
    private final GatewayAudit audit;
    private final QueryLogWriter queryLog;
    private final int maxParameters;

    QidoController(
            QidoProperties properties,
            SpanningConfigs configs,
            SpanRequests spanRequests,
            QueryStore queryStore,
            CachedAnswers cachedAnswers,
            Clock clock,
            KeyLimitsPolicy keyLimits,
            GatewayAudit audit,
            QueryLogWriter queryLog) {
        this.parser = new QidoQueryParser(properties.maxLimit(), properties.allowUniversalBelowStudy());
        this.maxParameters = properties.maxParameters();
        this.configs = configs;
        this.spanRequests = spanRequests;
        this.queryStore = queryStore;
        this.cachedAnswers = cachedAnswers;
        this.clock = clock;
        this.defaultConfigId = properties.defaultConfigId();
        this.keyLimits = keyLimits;
        this.audit = audit;
        this.queryLog = queryLog;
    }

    @GetMapping("/api/v1/spanner/qido/{resource}")
    Object spannerSearch(@PathVariable String resource, HttpServletRequest request) {
        QidoResource qidoResource = switch (resource) {
            case "studies" -> QidoResource.ALL_STUDIES;
            case "series" -> QidoResource.ALL_SERIES;
            case "instances" -> QidoResource.ALL_INSTANCES;
            default -> throw new InvalidRequestException("resource", "must be studies, series or instances");
        };
        Map<String, List<String>> parameters = parameters(request);
        if (parameters.isEmpty()) {
            throw new InvalidRequestException("query", "an empty query string is not allowed (PS3.18 §8.3.4)");
        }
        ParsedQuery parsed = parser.parse(qidoResource, PathUids.NONE, parameters);
        List<String> configId = parameters.get(QidoQueryParser.CONFIG_ID);
        long id;
        if (configId == null && defaultConfigId != null) {
            id = defaultConfigId;
        } else if (configId == null || configId.size() != 1 || configId.get(0).isBlank()) {
            throw new InvalidRequestException(QidoQueryParser.CONFIG_ID, "is required, once");
        } else {
            try {
                id = Long.parseLong(configId.get(0).strip());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(QidoQueryParser.CONFIG_ID, "must be an integer");
            }
        }
        return search(parsed, configs.byId(id, QidoQueryParser.CONFIG_ID), request);
    }

    @GetMapping("/dicomweb/{config}/studies")
    Object allStudies(@PathVariable String config, HttpServletRequest request) {
        return dicomweb(config, QidoResource.ALL_STUDIES, PathUids.NONE, request);
    }

    @GetMapping("/dicomweb/{config}/studies/{study}/series")
    Object studySeries(@PathVariable String config, @PathVariable String study, HttpServletRequest request) {
        return dicomweb(config, QidoResource.STUDY_SERIES, new PathUids(study, null), request);
    }

    @GetMapping("/dicomweb/{config}/studies/{study}/series/{series}/instances")
    Object studySeriesInstances(
            @PathVariable String config,
            @PathVariable String study,
            @PathVariable String series,
            HttpServletRequest request) {
        return dicomweb(config, QidoResource.STUDY_SERIES_INSTANCES, new PathUids(study, series), request);
    }

    @GetMapping("/dicomweb/{config}/studies/{study}/instances")
    Object studyInstances(@PathVariable String config, @PathVariable String study, HttpServletRequest request) {
        return dicomweb(config, QidoResource.STUDY_INSTANCES, new PathUids(study, null), request);
    }

    @GetMapping("/dicomweb/{config}/series")
    Object allSeries(@PathVariable String config, HttpServletRequest request) {
        return dicomweb(config, QidoResource.ALL_SERIES, PathUids.NONE, request);
    }

    @GetMapping("/dicomweb/{config}/instances")
    Object allInstances(@PathVariable String config, HttpServletRequest request) {
        return dicomweb(config, QidoResource.ALL_INSTANCES, PathUids.NONE, request);
    }

    private Object dicomweb(String config, QidoResource resource, PathUids pathUids, HttpServletRequest request) {
        ParsedQuery parsed = parser.parse(resource, pathUids, parameters(request));
        return search(parsed, configs.byIdOrName(config, "{config}"), request);
    }

    /**
     * Answers a search: a {@code ResponseEntity} when the answer is at hand (a cache hit, an async search's 202), a
     * {@code CompletableFuture} of one when the coordinator is to answer. Spring MVC picks the handler by the returned
     * value's class when a handler method is declared to return {@code Object}, so only a search that waits for a
     * coordinator goes through the servlet container's async processing (a second dispatch through the filters and
     * the DispatcherServlet), and a cache hit is answered on the request's own thread in one pass.
     */
    private Object search(ParsedQuery parsed, SpanningSettings config, HttpServletRequest request) {
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        QidoMediaType form = parsed.async() ? null : QidoMediaType.negotiate(request.getHeader(HttpHeaders.ACCEPT));
        AuthenticatedKey key = ApiKeyAuthenticationFilter.keyOf(request);
        SpanQuery query = parsed.toSpanQuery(config.id());
        AccessAuditFilter.describe(Map.of(
                "config_id", config.id(),
                "config_version", config.version(),
                "level", query.level().name().toLowerCase(Locale.ROOT),
                "async", parsed.async(),
                "filters", queryLog.tokenizedFilters(query.keys())));
        keyLimits.checkConfig(key, config.id());
        // An async search counts against the key's searches per second only; a synchronous one holds an in-flight
        // slot until it is answered (or given up).
        RequestLimiter.Permit permit = keyLimits.admit(key, !parsed.async());
        try {
            return search(parsed, query, config, request, key, form, startedAt, startNanos, permit);
        } catch (RuntimeException | Error e) {
            permit.close();
            throw e;
        }
    }

    private Object search(
            ParsedQuery parsed,
            SpanQuery query,
            SpanningSettings config,
            HttpServletRequest request,
            AuthenticatedKey key,
            QidoMediaType form,
            Instant startedAt,
            long startNanos,
            RequestLimiter.Permit permit) {
        String queryId = SpanClient.newQueryId();
        AccessAuditFilter.describe(Map.of("query_id", queryId));
        String caller = "api-key:" + key.id() + "@" + request.getRemoteAddr();
        audit.queried(query, key.name(), request.getRemoteAddr());
        String statusUrl = "/api/v1/spanner/queries/" + queryId + "/status";
        Duration wait = spanRequests.waitFor(config.timeoutSeconds());
        queryStore.recordAsker(queryId, key.id());
        if (parsed.async()) {
            permit.close();
            queryStore.recordStarted(queryId, query, config.version(), startedAt);
            logQuery(queryId, query, config, caller, "");
            publishOrForget(queryId, () -> {
                spanRequests.spanAsync(queryId, query, caller, wait);
                return queryId;
            });
            String body = "{\"query_id\":\"" + queryId + "\",\"status_url\":\"" + statusUrl + "\",\"results_url\":\""
                    + "/api/v1/spanner/queries/" + queryId + "/results\"}";
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .header(QidoAnswers.QUERY_ID_HEADER, queryId)
                    .header(HttpHeaders.LOCATION, statusUrl)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(body.getBytes(StandardCharsets.UTF_8));
        }
        String agent = request.getServerName() + ":" + request.getServerPort();
        SpanRequest spanRequest = spanRequests.syncRequest(queryId, query, caller, wait);
        CachedAnswers.Lookup cached = cachedAnswers.answer(spanRequest, config, startedAt, startNanos);
        if (cached instanceof CachedAnswers.Hit hit) {
            permit.close();
            logQuery(queryId, query, config, caller, ": answered from the result cache");
            return QidoAnswers.toResponse(hit.answer(), form, query.fuzzyMatching(), agent, statusUrl);
        }
        // A synchronous query's status is the coordinator's to write: nobody knows its id before the answer names it,
        // except in a 504, whose status URL must then say something (below).
        logQuery(queryId, query, config, caller, "");
        CompletableFuture<SpanAnswer> answer = publishOrForget(queryId, () -> spanRequests.span(spanRequest, wait));
        return answer.handle((result, failure) -> {
            permit.close();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof TimeoutException) {
                    log.warn("Query {} got no answer within {} ms", queryId, wait.toMillis());
                    // unless a coordinator has taken the query and written its status
                    queryStore.recordStarted(queryId, query, config.version(), startedAt);
                    throw new ServiceProblemException(
                                    HttpStatus.GATEWAY_TIMEOUT,
                                    "No answer from the spanner within " + wait.toSeconds() + " s")
                            .withHeader(QidoAnswers.QUERY_ID_HEADER, queryId)
                            .withHeader(HttpHeaders.LOCATION, statusUrl);
                }
                throw new IllegalStateException("Query " + queryId + " failed", cause);
            }
            return QidoAnswers.toResponse(result, form, query.fuzzyMatching(), agent, statusUrl);
        });
    }

    private static void logQuery(
            String queryId, SpanQuery query, SpanningSettings config, String caller, String outcome) {
        log.info(
                "Query {} ({} {} keys) on config {} v{} for {}{}",
                queryId,
                query.resource(),
                query.keys().size(),
                config.id(),
                config.version(),
                caller,
                outcome);
    }

    /** A query the broker refused never runs: its RUNNING status goes, and the 503 names it. */
    private <T> T publishOrForget(String queryId, Supplier<T> publish) {
        try {
            return publish.get();
        } catch (ServiceProblemException e) {
            queryStore.forget(queryId);
            throw e.withHeader(QidoAnswers.QUERY_ID_HEADER, queryId);
        }
    }

    /**
     * Query parameters in request order; each name with all its values. Read from the raw query string, never through
     * the servlet container's parameter map (see {@link QidoQueryString}).
     */
    private Map<String, List<String>> parameters(HttpServletRequest request) {
        return QidoQueryString.parse(request.getQueryString(), maxParameters);
    }
}
