package io.dicomspanner.gateway.console;

import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.common.ratelimit.RequestLimiter;
import io.dicomspanner.common.span.SpanClient;
import io.dicomspanner.gateway.apikey.AuthenticatedKey;
import io.dicomspanner.gateway.apikey.KeyLimitsPolicy;
import io.dicomspanner.gateway.atna.GatewayAudit;
import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.ServiceProblemException;
import io.dicomspanner.gateway.qido.QidoProperties;
import io.dicomspanner.gateway.qido.QidoQueryParser;
import io.dicomspanner.gateway.span.QueryStore;
import io.dicomspanner.gateway.span.SpanRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Starts the console's searches the way QIDO-RS starts an {@code async=true} search: parsed and checked by the same
 * parser, limited by the key's limits, audited, its asker and RUNNING status recorded, handed to the coordinators;
 * its status and answer then come from the {@link QueryStore} as for {@code /queries/{id}}. The whole answer is kept
 * (up to {@code spanner.qido.max-limit} records) and paged by the console.
 */
@Service
class ConsoleSearches {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSearches.class);

    /** A search handed to the coordinators. */
    record Started(String queryId, SpanningSettings config, String level) {}

    private final QidoQueryParser parser;
    private final ConsoleConfigs configs;
    private final KeyLimitsPolicy keyLimits;
    private final SpanRequests spanRequests;
    private final QueryStore queryStore;
    private final ConsoleAudit audit;
    private final GatewayAudit atna;
    private final QueryLogWriter queryLog;
    private final Clock clock;

    ConsoleSearches(
            QidoProperties qido,
            ConsoleConfigs configs,
            KeyLimitsPolicy keyLimits,
            SpanRequests spanRequests,
            QueryStore queryStore,
            ConsoleAudit audit,
            GatewayAudit atna,
            QueryLogWriter queryLog,
            Clock clock) {
        this.parser = new QidoQueryParser(qido.maxLimit(), qido.allowUniversalBelowStudy());
        this.configs = configs;
        this.keyLimits = keyLimits;
        this.spanRequests = spanRequests;
        this.queryStore = queryStore;
        this.audit = audit;
        this.atna = atna;
        this.queryLog = queryLog;
        this.clock = clock;
    }

    /**
     * Starts the search of {@code form} for {@code user}.
     *
     * @throws InvalidRequestException naming the form's fields that are wrong
     * @throws ServiceProblemException 429 beyond the key's rate, 503 when the audit trail or the broker cannot take it
     */
    Started start(ConsoleUser user, SearchForm form, String address) {
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        SpanningSettings config = null;
        if (!SearchForm.present(form.configId())) {
            problems.add("configId", "choose a spanning config");
        } else {
            try {
                config = configs.usable(user, Long.parseLong(form.configId().strip()))
                        .orElse(null);
            } catch (NumberFormatException e) {
                // left null: reported below
            }
            if (config == null) {
                problems.add("configId", "names no spanning config this key may search");
            }
        }
        String level = form.levelOrStudies();
        if (!level.equals("studies") && !level.equals("series") && !level.equals("instances")) {
            problems.add("level", "must be studies, series or instances");
        }
        if (!form.hasMatchingField()) {
            problems.add("form", "fill in at least one search field");
        }
        problems.throwIfAny();
        QidoQueryParser.ParsedQuery parsed;
        try {
            parsed = parser.parse(form.resource(), QidoQueryParser.PathUids.NONE, form.qidoParameters());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(e.problems().stream()
                    .map(p -> new FieldProblem(
                            SearchForm.FIELD_OF_PARAMETER.getOrDefault(p.field(), "form"),
                            p.field() + ": " + p.message()))
                    .toList());
        }
        SpanQuery query = parsed.toSpanQuery(config.id());
        AuthenticatedKey key = user.key();
        keyLimits.checkConfig(key, config.id());
        // like an async QIDO-RS search: counted against the key's searches per second, holding no in-flight slot
        RequestLimiter.Permit permit = keyLimits.admit(key, false);
        permit.close();
        audit.checkAdmission();
        String queryId = SpanClient.newQueryId();
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("query_id", queryId);
        objects.put("config_id", config.id());
        objects.put("config_version", config.version());
        objects.put("level", query.level().name().toLowerCase(Locale.ROOT));
        objects.put("async", true);
        objects.put("filters", queryLog.tokenizedFilters(query.keys()));
        audit.searched(user, address, objects);
        atna.queried(query, user.keyName(), address);
        String caller = "api-key:" + user.keyId() + "@" + address;
        Duration wait = spanRequests.waitFor(config.timeoutSeconds());
        queryStore.recordAsker(queryId, user.keyId());
        Instant started = clock.instant();
        queryStore.recordStarted(queryId, query, config.version(), started);
        queryStore.recordConsoleQuery(user.keyId(), queryId, started);
        log.info(
                "Console query {} ({} {} keys) on config {} v{} for {}",
                queryId,
                query.resource(),
                query.keys().size(),
                config.id(),
                config.version(),
                caller);
        try {
            spanRequests.spanAsync(queryId, query, caller, wait);
        } catch (ServiceProblemException e) {
            queryStore.forget(queryId);
            throw e;
        }
        return new Started(queryId, config, level);
    }
}
