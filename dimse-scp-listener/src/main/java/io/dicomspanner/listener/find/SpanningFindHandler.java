package io.dicomspanner.listener.find;

import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.ratelimit.RequestLimiter;
import io.dicomspanner.common.span.PublishRefusedException;
import io.dicomspanner.common.span.SpanClient;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CFindHandler;
import io.dicomspanner.dicom.net.service.FindRequest;
import io.dicomspanner.dicom.net.service.FindResponder;
import io.dicomspanner.listener.ListenerProperties;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.atna.ListenerAudit;
import io.dicomspanner.listener.audit.DimseAudit;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Answers a C-FIND by spanning: the called AE title's config, the identifier as a {@link io.dicomspanner.common.query
 * .SpanQuery}, one span request (entry point DIMSE, the calling AE for the query log, matches streamed as soon as the
 * coordinator knows them final), then Pending responses and the final status. On C-CANCEL the workers are told to stop
 * the query's C-FINDs.
 */
@Component
public class SpanningFindHandler implements CFindHandler, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SpanningFindHandler.class);

    private final ScpConfigs configs;
    private final SpanClient client;
    private final ListenerProperties.Span properties;
    private final Clock clock;
    private final FindMetrics metrics;
    private final ListenerAudit atna;
    private final RequestLimiter callerLimiter;
    private final RequestLimiter.Limits callerLimits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "find-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final DimseAudit audit;

    public SpanningFindHandler(
            ScpConfigs configs,
            SpanClient client,
            ListenerProperties properties,
            Clock clock,
            MeterRegistry meters,
            DimseAudit audit,
            ListenerAudit atna) {
        this.audit = audit;
        this.atna = atna;
        this.configs = configs;
        this.client = client;
        this.properties = properties.span();
        this.clock = clock;
        this.metrics = new FindMetrics(meters, inFlight);
        this.callerLimiter = new RequestLimiter(clock);
        this.callerLimits = new RequestLimiter.Limits(
                properties.callingAeLimits().queriesPerSecond(),
                properties.callingAeLimits().findsInFlight());
    }

    @Override
    public void onRefused(String sopClassUid, int status) {
        // Refused by the SCP before onFind (no or unreadable identifier, level not of the model): counted all the same.
        metrics.finished(status);
    }

    @Override
    public void onFind(FindRequest request, FindResponder responder) {
        Optional<SpanningSettings> config = configs.byAeTitle(request.calledAeTitle());
        if (config.isEmpty() || !config.get().enabled()) {
            responder.complete(Status.UNABLE_TO_PROCESS, "called AE title no longer names a spanning config");
            metrics.finished(Status.UNABLE_TO_PROCESS);
            return;
        }
        long configId = config.get().id();
        if (!audit.admits()) {
            responder.complete(Status.OUT_OF_RESOURCES, "the audit trail cannot record queries now");
            metrics.finished(Status.OUT_OF_RESOURCES);
            audit.find(
                    request.callingAeTitle(), request.remoteAddress(), configId, null, null, Status.OUT_OF_RESOURCES);
            return;
        }
        IdentifierTranslator.Translation translation;
        try {
            translation = IdentifierTranslator.translate(
                    request.identifier(),
                    request.queryRetrieveLevel(),
                    config.get().id());
        } catch (RefusedIdentifierException e) {
            log.info(
                    "C-FIND from {} refused with {}: {}",
                    request.callingAeTitle(),
                    Status.toString(e.status()),
                    e.getMessage());
            responder.complete(e.status(), e.getMessage(), e.offendingElement());
            metrics.finished(e.status());
            audit.find(request.callingAeTitle(), request.remoteAddress(), configId, null, null, e.status());
            return;
        }
        SpanQuery query = translation.query();
        RequestLimiter.Admission admission = callerLimiter.tryAcquire(request.callingAeTitle(), callerLimits);
        if (admission instanceof RequestLimiter.Refused refused) {
            String comment = limitComment(refused);
            log.warn("C-FIND from {} refused: {}", request.callingAeTitle(), comment);
            responder.complete(Status.OUT_OF_RESOURCES, comment);
            metrics.limited(refused.limit());
            metrics.finished(Status.OUT_OF_RESOURCES);
            audit.find(
                    request.callingAeTitle(),
                    request.remoteAddress(),
                    configId,
                    null,
                    translation.query(),
                    Status.OUT_OF_RESOURCES);
            return;
        }
        RequestLimiter.Permit permit = (RequestLimiter.Permit) admission;
        if (inFlight.incrementAndGet() > properties.maxQueriesInFlight()) {
            inFlight.decrementAndGet();
            permit.close();
            log.warn("C-FIND from {} refused: {} queries in flight", request.callingAeTitle(), inFlight.get());
            responder.complete(Status.OUT_OF_RESOURCES, "too many queries in progress at this listener");
            metrics.finished(Status.OUT_OF_RESOURCES);
            audit.find(
                    request.callingAeTitle(),
                    request.remoteAddress(),
                    configId,
                    null,
                    translation.query(),
                    Status.OUT_OF_RESOURCES);
            return;
        }
        atna.queried(translation.query(), request.callingAeTitle(), request.remoteAddress(), request.sopClassUid());
        String queryId = UUID.randomUUID().toString();
        Duration wait = client.waitFor(config.get().timeoutSeconds());
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        FindConversation conversation = new FindConversation(
                queryId,
                responder,
                new ResponseCharacterSet(request.identifier().specificCharacterSet()),
                translation.unsupportedKeys() ? Status.PENDING_WARNING : Status.PENDING,
                status -> {
                    client.forget(queryId);
                    inFlight.decrementAndGet();
                    permit.close();
                    if (timer[0] != null) {
                        timer[0].cancel(false);
                    }
                    metrics.finished(status);
                    audit.find(request.callingAeTitle(), request.remoteAddress(), configId, queryId, query, status);
                },
                metrics::unverified);
        client.await(queryId, conversation::accept);
        // Set before the request is published, so before anything can end the conversation and read it.
        timer[0] = deadlines.schedule(conversation::deadlinePassed, wait.toMillis(), TimeUnit.MILLISECONDS);
        request.cancelled().thenRun(() -> {
            if (conversation.cancelled()) {
                log.info("Query {} cancelled by {}; stopping its fan-out", queryId, request.callingAeTitle());
                client.cancel(queryId);
            }
        });
        SpanRequest span = new SpanRequest(
                queryId,
                translation.query(),
                EntryPoint.DIMSE,
                caller(request.callingAeTitle(), request.remoteAddress()),
                client.answersQueue(),
                true,
                clock.millis() + wait.toMillis(),
                // C-FIND responses carry only the requested keys; Retrieve URLs are DICOMweb's.
                null);
        client.publish(span, wait).whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                conversation.refused(
                        cause instanceof PublishRefusedException refused
                                ? errorComment(refused.reason())
                                : "the spanner is unavailable");
            }
        });
    }

    /** The Error Comment of the A700 that answers a C-FIND over its calling AE's limits (at most 64 characters). */
    private static String limitComment(RequestLimiter.Refused refused) {
        return switch (refused.limit()) {
            case RATE ->
                "calling AE over its limit of C-FINDs per second ("
                        + BigDecimal.valueOf(refused.limits().perSecond())
                                .stripTrailingZeros()
                                .toPlainString()
                        + ")";
            case IN_FLIGHT ->
                "calling AE over its limit of C-FINDs in flight ("
                        + refused.limits().inFlight() + ")";
        };
    }

    /** The Error Comment of the A700 that answers a span request the broker did not take (no PHI). */
    private static String errorComment(PublishRefusedException.Reason reason) {
        return switch (reason) {
            case QUEUE_FULL -> "the spanner is overloaded: its request queue is full";
            case UNROUTABLE -> "no coordinator is listening for span requests";
            case BROKER_UNREACHABLE -> "the message broker is unreachable";
            case NOT_CONFIRMED_IN_TIME, NOT_CONFIRMED, INTERRUPTED -> "the message broker did not confirm the request";
        };
    }

    /** {@code ae:<calling AE>@<address>}: the query log's caller (an AE title and an address are not PHI). */
    static String caller(String callingAeTitle, SocketAddress remote) {
        String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(remote);
        return "ae:" + callingAeTitle + "@" + address;
    }

    /** C-FINDs being spanned now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
    }
}
