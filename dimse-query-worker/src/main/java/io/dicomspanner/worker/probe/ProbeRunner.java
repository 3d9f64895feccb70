package io.dicomspanner.worker.probe;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.ProbeRequest;
import io.dicomspanner.common.messaging.ProbeStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.probe.MatchingProbe;
import io.dicomspanner.worker.cancel.RunningQueries;
import io.dicomspanner.worker.capability.ObservationRecorder;
import io.dicomspanner.worker.capability.ProbeProperties;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.sources.ServedSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Runs the capability probe of a source's matching keys on request ({@link ProbeRequest}): only for a source this
 * worker serves, and only by the one worker of the source that first claims the request in Redis
 * ({@link RedisKeys#matchingProbeClaim}, SET NX, kept for the probe's {@code timeout}). The probe's C-FINDs go the way
 * a task's do ({@link SourceProbeFinder}). Its progress is the source's {@link ProbeStatus} in Redis
 * ({@link RedisKeys#matchingProbe}): running, then done or failed; each finding becomes the newest
 * {@link KeyObservation} of its key, origin {@code probed}.
 */
@Component
public class ProbeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);

    /** The probe itself: {@link MatchingProbe} on the source's C-FINDs. */
    @FunctionalInterface
    interface Engine {
        CompletableFuture<MatchingProbe.Report> run(MatchingProbe.Finder finder, List<String> keywords);
    }

    private final ServedSources served;
    private final SourceFinder finder;
    private final RunningQueries running;
    private final StringRedisTemplate redis;
    private final ObservationRecorder recorder;
    private final Clock clock;
    private final Duration timeout;
    private final Engine engine;
    private final MessageCodec codec = MessageCodec.instance();
    private final String workerId = UUID.randomUUID().toString();

    @Autowired
    public ProbeRunner(
            ServedSources served,
            SourceFinder finder,
            RunningQueries running,
            StringRedisTemplate redis,
            ObservationRecorder recorder,
            Clock clock,
            ProbeProperties properties) {
        this(
                served,
                finder,
                running,
                redis,
                recorder,
                clock,
                properties,
                (probeFinder, keywords) -> new MatchingProbe(probeFinder, clock).run(keywords));
    }

    ProbeRunner(
            ServedSources served,
            SourceFinder finder,
            RunningQueries running,
            StringRedisTemplate redis,
            ObservationRecorder recorder,
            Clock clock,
            ProbeProperties properties,
            Engine engine) {
        this.served = served;
        this.finder = finder;
        this.running = running;
        this.redis = redis;
        this.recorder = recorder;
        this.clock = clock;
        this.timeout = properties.timeout();
        this.engine = engine;
    }

    /**
     * Runs the probe if this worker serves the source and is the first to claim the request.
     *
     * @return the final status once it is recorded; empty if this worker does not run the probe
     */
    public Optional<CompletableFuture<ProbeStatus>> onProbeRequest(ProbeRequest request) {
        if (!served.serves(request.sourceId())) {
            LOG.debug("probe request {} for source {} not served here", request.requestId(), request.sourceId());
            return Optional.empty();
        }
        Optional<SourceEndpoint> endpoint = served.endpoint(request.sourceId());
        if (endpoint.isEmpty()) {
            LOG.warn(
                    "probe request {}: source {} is served but not in the sources table; not probed",
                    request.requestId(),
                    request.sourceId());
            return Optional.empty();
        }
        if (!claim(request)) {
            return Optional.empty();
        }
        return Optional.of(run(request, endpoint.get()));
    }

    private boolean claim(ProbeRequest request) {
        Boolean claimed;
        try {
            claimed = redis.opsForValue()
                    .setIfAbsent(RedisKeys.matchingProbeClaim(request.requestId()), workerId, timeout);
        } catch (DataAccessException e) {
            LOG.warn(
                    "probe request {} for source {}: not claimed, Redis unavailable ({})",
                    request.requestId(),
                    request.sourceId(),
                    e.getClass().getSimpleName());
            return false;
        }
        if (!Boolean.TRUE.equals(claimed)) {
            LOG.debug("probe request {}: claimed by another worker", request.requestId());
            return false;
        }
        return true;
    }

    private CompletableFuture<ProbeStatus> run(ProbeRequest request, SourceEndpoint source) {
        long sourceId = source.sourceId();
        String queryId = "probe-" + request.requestId();
        List<String> keywords = request.keywords().isEmpty() ? MatchingProbe.DEFAULT_KEYS : request.keywords();
        Instant started = clock.instant();
        writeStatus(sourceId, new ProbeStatus(request.requestId(), ProbeStatus.State.RUNNING, started, null, 0, null));
        LOG.info(
                "probe {} of source {} from {}: started, {} keys",
                request.requestId(),
                sourceId,
                request.requestedBy(),
                keywords.size());
        SourceProbeFinder probeFinder = new SourceProbeFinder(finder, source, queryId, clock);
        running.taskStarted(queryId);
        CompletableFuture<MatchingProbe.Report> report;
        try {
            report = engine.run(probeFinder, keywords);
        } catch (RuntimeException e) {
            report = CompletableFuture.failedFuture(e);
        }
        return report.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((r, e) -> {
                    if (e == null) {
                        return persist(request, sourceId, started, r);
                    }
                    running.cancel(queryId);
                    return CompletableFuture.completedFuture(
                            failed(request, sourceId, started, probeFinder.sent(), why(e)));
                })
                .thenCompose(Function.identity())
                .whenComplete((status, e) -> running.taskEnded(queryId));
    }

    /** Stores each finding as its key's observation, then the final status. */
    private CompletableFuture<ProbeStatus> persist(
            ProbeRequest request, long sourceId, Instant started, MatchingProbe.Report report) {
        Instant observedAt = clock.instant();
        List<CompletableFuture<Boolean>> stored = new ArrayList<>();
        int matched = 0;
        int notMatched = 0;
        int undetermined = 0;
        for (MatchingProbe.KeyFinding finding : report.findings()) {
            Boolean isMatched = switch (finding.matching()) {
                case MATCHED -> {
                    matched++;
                    yield true;
                }
                case NOT_MATCHED -> {
                    notMatched++;
                    yield false;
                }
                case UNDETERMINED -> {
                    undetermined++;
                    yield null;
                }
            };
            stored.add(recorder.record(new KeyObservation(
                    sourceId,
                    finding.keyword(),
                    isMatched,
                    finding.returned(),
                    KeyObservation.Origin.PROBED,
                    observedAt,
                    finding.detail() == null
                            ? "probed at the " + finding.level().code() + " level"
                            : finding.detail())));
        }
        int total = report.findings().size();
        int m = matched;
        int n = notMatched;
        int u = undetermined;
        return CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).thenApply(x -> {
            long failures = stored.stream().filter(f -> !f.join()).count();
            if (failures > 0) {
                return failed(
                        request,
                        sourceId,
                        started,
                        report.cfinds(),
                        failures + " of " + total + " findings could not be stored");
            }
            LOG.info(
                    "probe {} of source {}: done, {} keys: {} matched, {} not matched, {} undetermined; {} C-FINDs",
                    request.requestId(),
                    sourceId,
                    total,
                    m,
                    n,
                    u,
                    report.cfinds());
            ProbeStatus done = new ProbeStatus(
                    request.requestId(), ProbeStatus.State.DONE, started, clock.instant(), report.cfinds(), null);
            writeStatus(sourceId, done);
            return done;
        });
    }

    private ProbeStatus failed(ProbeRequest request, long sourceId, Instant started, int cfinds, String error) {
        LOG.warn("probe {} of source {}: failed after {} C-FINDs: {}", request.requestId(), sourceId, cfinds, error);
        ProbeStatus status =
                new ProbeStatus(request.requestId(), ProbeStatus.State.FAILED, started, clock.instant(), cfinds, error);
        writeStatus(sourceId, status);
        return status;
    }

    /** Why the probe failed, for an operator: the probe's and the worker's messages name keys and statuses only. */
    private String why(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return "the probe did not end within " + timeout;
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private void writeStatus(long sourceId, ProbeStatus status) {
        try {
            redis.opsForValue().set(RedisKeys.matchingProbe(sourceId), codec.writeString(status));
        } catch (DataAccessException e) {
            LOG.warn(
                    "probe {} of source {}: status {} not recorded, Redis unavailable ({})",
                    status.requestId(),
                    sourceId,
                    status.state().wire(),
                    e.getClass().getSimpleName());
        }
    }
}
