package io.dicomspanner.worker.health;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomNetworkException;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.TlsFailure;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.dicomweb.QidoFinder;
import io.dicomspanner.worker.find.DicomClientTls;
import io.dicomspanner.worker.find.FleetAssociationLimit;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/**
 * C-ECHO of every known source on a schedule; the outcome goes to Redis ({@link RedisKeys#sourceHealth(long)}) as a
 * {@link SourceHealth}, with a TTL so a source nobody checks any more shows no stale state.
 *
 * <p>Each echo uses an association of its own (Verification only), which tests exactly what a new C-FIND needs, a
 * fresh association. It counts against the source's fleet-wide association limit like a C-FIND ({@link
 * FleetAssociationLimit}): it waits up to the response timeout for a free lease, and if none comes (every association
 * busy) the check records DOWN with that reason rather than exceed the PACS's limit.
 */
@Component
public class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final DicomClient client;
    private final DicomClientTls tls;
    private final KnownSources knownSources;
    private final StringRedisTemplate redis;
    private final MessageCodec codec = MessageCodec.instance();
    private final Clock clock;
    private final WorkerProperties.Health settings;
    private final WorkerMetrics metrics;
    private final FleetAssociationLimit limit;
    private final Duration leaseWait;
    private final QidoFinder qido;

    public HealthChecker(
            DicomClient client,
            FleetAssociationLimit limit,
            DicomClientTls tls,
            KnownSources knownSources,
            StringRedisTemplate redis,
            Clock clock,
            WorkerProperties properties,
            WorkerMetrics metrics,
            QidoFinder qido) {
        this.qido = qido;
        this.client = client;
        this.limit = limit;
        this.leaseWait = properties.dicom().responseTimeout();
        this.tls = tls;
        this.knownSources = knownSources;
        this.redis = redis;
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

    /**
     * Echoes one source, over the same TLS path as its C-FINDs, and records the outcome; the future completes once it
     * is recorded (or Redis failed).
     */
    public CompletableFuture<SourceHealth> check(SourceEndpoint source) {
        if (source.usesDicomWeb()) {
            return checkDicomWeb(source);
        }
        DicomPeer peer = DicomClientTls.peer(source);
        long started = System.nanoTime();
        Instant startedAt = Instant.ofEpochMilli(clock.millis());
        String unavailable = tls.unavailableFor(source);
        CompletableFuture<Association> association = unavailable != null
                ? CompletableFuture.failedFuture(new DicomNetworkException(unavailable))
                : limit.acquireForOwnAssociation(source, clock.millis() + leaseWait.toMillis())
                        .thenCompose(permit -> {
                            CompletableFuture<Association> connect;
                            try {
                                connect = client.connect(
                                        peer, AssociationRequest.forEcho(peer.calledAeTitle(), peer.callingAeTitle()));
                            } catch (RuntimeException e) {
                                permit.release();
                                throw e;
                            }
                            // the lease covers the association until its connection is closed
                            return connect.whenComplete((as, e) -> {
                                if (e != null) {
                                    permit.release();
                                } else {
                                    permit.onLost(as::abortAndClose);
                                    as.closeFuture().whenComplete((x, e2) -> permit.release());
                                }
                            });
                        });
        return association
                .thenCompose(as -> CEchoScu.echo(as).whenComplete((status, e) -> {
                    if (as.isEstablished()) {
                        as.release();
                    }
                }))
                .handle((status, error) -> {
                    long nanos = System.nanoTime() - started;
                    long latency = TimeUnit.NANOSECONDS.toMillis(nanos);
                    boolean up = error == null && Status.isSuccess(status);
                    SourceHealth health = new SourceHealth(
                            source.sourceId(),
                            up ? SourceHealth.State.UP : SourceHealth.State.DOWN,
                            latency,
                            error == null ? status : null,
                            error == null
                                    ? (up ? null : "C-ECHO status " + Status.toString(status))
                                    : reason(unwrap(error)),
                            startedAt,
                            Instant.ofEpochMilli(clock.millis()));
                    record(source.sourceId(), health);
                    metrics.echo(source.sourceId(), source.aeTitle(), up, Duration.ofNanos(nanos));
                    return health;
                });
    }

    /**
     * A DICOMweb source's check: the cheapest search ({@code /studies?limit=1}) within the response timeout, up when it
     * is answered with a 2xx; down with the HTTP status or the transport failure otherwise.
     */
    private CompletableFuture<SourceHealth> checkDicomWeb(SourceEndpoint source) {
        long started = System.nanoTime();
        Instant startedAt = Instant.ofEpochMilli(clock.millis());
        return qido.ping(source, clock.millis() + leaseWait.toMillis()).handle((ok, error) -> {
            long nanos = System.nanoTime() - started;
            SourceHealth health = new SourceHealth(
                    source.sourceId(),
                    error == null ? SourceHealth.State.UP : SourceHealth.State.DOWN,
                    TimeUnit.NANOSECONDS.toMillis(nanos),
                    null,
                    error == null ? null : unwrap(error).getMessage(),
                    startedAt,
                    Instant.ofEpochMilli(clock.millis()));
            record(source.sourceId(), health);
            metrics.echo(source.sourceId(), source.aeTitle(), error == null, Duration.ofNanos(nanos));
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
            Instant startedAt = codec.read(recorded, SourceHealth.class).startedAt();
            return startedAt != null && startedAt.toEpochMilli() >= epochMillis;
        } catch (DataAccessException | JacksonException e) {
            return false;
        }
    }

    private void record(long sourceId, SourceHealth health) {
        try {
            redis.opsForValue().set(RedisKeys.sourceHealth(sourceId), codec.writeString(health), settings.ttl());
        } catch (DataAccessException e) {
            LOG.warn("health of source {} not recorded: Redis unavailable ({})", sourceId, e.getMessage());
        }
    }

    /** A failed handshake in a few words ("TLS handshake failed: unknown CA"), as a query's status says it. */
    private static String reason(Throwable e) {
        return e instanceof TlsFailure t ? t.summary() : e.getMessage();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
