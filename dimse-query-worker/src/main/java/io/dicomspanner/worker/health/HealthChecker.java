package io.dicomspanner.worker.health;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * C-ECHO of every known source on a schedule; the outcome goes to Redis ({@link RedisKeys#sourceHealth(long)}) as
 * JSON: {@code state} ("up" or "down"), {@code latencyMillis}, {@code dimseStatus}, {@code error}, {@code startedAt}
 * and {@code checkedAt} (ISO-8601), {@code sourceId}, with a TTL so a source nobody checks any more shows no stale state.
 *
 * <p>Each echo uses an association of its own (Verification only), not the query pool: a health check must not wait
 * behind busy C-FINDs, and it tests exactly what a new C-FIND would need, a fresh association.
 */
@Component
public class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final DicomClient client;
    private final KnownSources knownSources;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final WorkerProperties.Health settings;
    private final WorkerMetrics metrics;

    public HealthChecker(
            DicomClient client,
            KnownSources knownSources,
            StringRedisTemplate redis,
            JsonMapper json,
            Clock clock,
            WorkerProperties properties,
            WorkerMetrics metrics) {
        this.client = client;
        this.knownSources = knownSources;
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.settings = properties.health();
        this.metrics = metrics;
    }

    @Scheduled(
            fixedDelayString = "${spanner.worker.health.interval}",
            initialDelayString = "${spanner.worker.health.interval}")
    public void scheduledRound() {
        if (settings.enabled()) {
            checkAll();
        }
    }

    /** Echoes every source seen in a task within {@code forget-after}, one after another. */
    public void checkAll() {
        for (SourceEndpoint source : knownSources.current(settings.forgetAfter().toMillis())) {
            check(source).join();
        }
    }

    /** Echoes one source and records the outcome; the future completes once it is recorded (or Redis failed). */
    public CompletableFuture<Map<String, Object>> check(SourceEndpoint source) {
        DicomPeer peer =
                new DicomPeer(source.host(), source.port(), source.aeTitle(), source.callingAeTitle(), source.tls());
        long started = System.nanoTime();
        Instant startedAt = Instant.ofEpochMilli(clock.millis());
        return client.connect(peer, AssociationRequest.forEcho(peer.calledAeTitle(), peer.callingAeTitle()))
                .thenCompose(as -> CEchoScu.echo(as).whenComplete((status, e) -> {
                    if (as.isEstablished()) {
                        as.release();
                    }
                }))
                .handle((status, error) -> {
                    long nanos = System.nanoTime() - started;
                    long latency = TimeUnit.NANOSECONDS.toMillis(nanos);
                    Map<String, Object> health = new LinkedHashMap<>();
                    health.put("sourceId", source.sourceId());
                    boolean up = error == null && Status.isSuccess(status);
                    health.put("state", up ? "up" : "down");
                    health.put("latencyMillis", latency);
                    health.put("dimseStatus", error == null ? status : null);
                    health.put(
                            "error",
                            error == null
                                    ? (up ? null : "C-ECHO status " + Status.toString(status))
                                    : unwrap(error).getMessage());
                    health.put("startedAt", startedAt.toString());
                    health.put("checkedAt", Instant.ofEpochMilli(clock.millis()).toString());
                    record(source.sourceId(), health);
                    metrics.echo(source.sourceId(), source.aeTitle(), up, Duration.ofNanos(nanos));
                    return health;
                });
    }

    /** Whether a check that started at or after {@code epochMillis} is recorded (Redis unreachable: false). */
    public boolean checkedSince(long sourceId, long epochMillis) {
        try {
            String recorded = redis.opsForValue().get(RedisKeys.sourceHealth(sourceId));
            if (recorded == null) {
                return false;
            }
            JsonNode startedAt = json.readTree(recorded).get("startedAt");
            return startedAt != null && Instant.parse(startedAt.asString()).toEpochMilli() >= epochMillis;
        } catch (DataAccessException | JacksonException | DateTimeParseException e) {
            return false;
        }
    }

    private void record(long sourceId, Map<String, Object> health) {
        try {
            redis.opsForValue().set(RedisKeys.sourceHealth(sourceId), json.writeValueAsString(health), settings.ttl());
        } catch (DataAccessException e) {
            LOG.warn("health of source {} not recorded: Redis unavailable ({})", sourceId, e.getMessage());
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
