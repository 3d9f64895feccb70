package io.dicomspanner.worker;

import io.dicomspanner.dicom.net.TlsProfile;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the worker (prefix {@code spanner.worker}); defaults in application.yaml, each one described in
 * docs/configuration-worker.md.
 *
 * @param sources ids of the DICOM sources whose task queues this worker consumes; with {@code sourceLocations} and
 *     {@code sourceTags} all empty: every enabled source
 * @param sourceRefresh how often the sources table is read again (sources added, removed, enabled, disabled)
 * @param maxConcurrentTasks tasks this worker runs at once, all sources together (a task holds no thread while its
 *     C-FINDs run)
 * @param batchSize matches per result batch; batches are cut by count only, so a redelivered task repeats them
 * @param publishConfirmTimeout how long to wait for the broker to confirm a published batch
 * @param retryBackoff delay before the first connection retry; doubles per retry
 * @param retryBackoffMax upper bound of that delay
 * @param studyFanoutConcurrency C-FINDs at once for one task when a query is split per study or per value
 * @param splitModalitiesInStudy send one C-FIND per ModalitiesInStudy value (PACS mishandle the multi-valued key)
 * @param verificationMaxSubqueries C-FINDs one task may send to verify a ModalitiesInStudy the source ignores (one
 *     per study whose series are asked for, or one per requested modality); studies beyond are kept unverified; 0:
 *     never verify by sub-queries
 * @param associationLease the fleet-wide limit of associations per source (leases in Redis)
 * @param tls DICOM TLS towards sources with {@code tls: true}
 * @param sourceLocations the worker also serves every enabled source of these locations ({@code dicom_source.location})
 * @param sourceTags the worker also serves every enabled source carrying one of these tags ({@code dicom_source.tags})
 * @param tasksPerSource tasks of one source this worker holds and runs at once: the prefetch of its one consumer of
 *     the source's task queue
 * @param resultPublishers threads that publish result batches and wait for the broker's confirms, all tasks together
 */
@Validated
@ConfigurationProperties(prefix = "spanner.worker")
public record WorkerProperties(
        List<Long> sources,
        Duration sourceRefresh,
        @Min(1) int maxConcurrentTasks,
        @Min(1) int batchSize,
        Duration publishConfirmTimeout,
        Duration retryBackoff,
        Duration retryBackoffMax,
        @Min(1) int studyFanoutConcurrency,
        boolean splitModalitiesInStudy,
        @Min(0) int verificationMaxSubqueries,
        Dicom dicom,
        Circuit circuit,
        Health health,
        @Valid AssociationLease associationLease,
        @Valid Tls tls,
        List<String> sourceLocations,
        List<String> sourceTags,
        @Min(1) Integer tasksPerSource,
        @Min(1) Integer resultPublishers) {

    /** Tasks per source a worker holds at once when not set. */
    public static final int DEFAULT_TASKS_PER_SOURCE = 16;

    /** Result-publishing threads when not set. */
    public static final int DEFAULT_RESULT_PUBLISHERS = 16;

    @ConstructorBinding
    public WorkerProperties {
        tasksPerSource = tasksPerSource == null ? DEFAULT_TASKS_PER_SOURCE : tasksPerSource;
        resultPublishers = resultPublishers == null ? DEFAULT_RESULT_PUBLISHERS : resultPublishers;
        sources = sources == null ? List.of() : List.copyOf(sources);
        sourceLocations = labels(sourceLocations);
        sourceTags = labels(sourceTags);
        tls = tls == null ? new Tls(null, null) : tls;
        associationLease = associationLease == null ? AssociationLease.DEFAULTS : associationLease;
    }

    /** Settings that serve sources by id only (or every enabled source), as before locations and tags existed. */
    public WorkerProperties(
            List<Long> sources,
            Duration sourceRefresh,
            int maxConcurrentTasks,
            int batchSize,
            Duration publishConfirmTimeout,
            Duration retryBackoff,
            Duration retryBackoffMax,
            int studyFanoutConcurrency,
            boolean splitModalitiesInStudy,
            int verificationMaxSubqueries,
            Dicom dicom,
            Circuit circuit,
            Health health,
            AssociationLease associationLease,
            Tls tls) {
        this(
                sources,
                sourceRefresh,
                maxConcurrentTasks,
                batchSize,
                publishConfirmTimeout,
                retryBackoff,
                retryBackoffMax,
                studyFanoutConcurrency,
                splitModalitiesInStudy,
                verificationMaxSubqueries,
                dicom,
                circuit,
                health,
                associationLease,
                tls,
                List.of(),
                List.of(),
                null,
                null);
    }

    /** Whether the worker serves every enabled source: no ids, locations or tags given. */
    public boolean servesEverySource() {
        return sources.isEmpty() && sourceLocations.isEmpty() && sourceTags.isEmpty();
    }

    /** The labels without blanks (an empty environment variable binds as one empty string) and surrounding spaces. */
    private static List<String> labels(List<String> labels) {
        return labels == null
                ? List.of()
                : labels.stream()
                        .map(String::strip)
                        .filter(label -> !label.isEmpty())
                        .distinct()
                        .toList();
    }

    /**
     * The fleet-wide limit of a source's associations ({@code spanner.worker.association-lease}): every association a
     * worker opens to a source is covered by a lease in Redis, and a source never has more unexpired leases than its
     * {@code max_associations}.
     *
     * @param ttl a lease not renewed for this long expires: the bound on how long a killed worker's associations stay
     *     counted
     * @param renewInterval how often held leases are renewed; well below {@code ttl}
     * @param waitPollInterval how often a C-FIND waiting for a free association asks Redis again (a lease released on
     *     this worker is handed on at once)
     * @param whenRedisUnavailable {@code SHARE}: each worker opens up to its share of the source's associations, the
     *     limit divided among the workers Redis last showed serving the source (the shares add up to the limit);
     *     {@code REFUSE}: the C-FIND fails at once
     */
    public record AssociationLease(
            Duration ttl,
            Duration renewInterval,
            Duration waitPollInterval,
            WhenRedisUnavailable whenRedisUnavailable,
            Duration idleTimeout) {
        public static final AssociationLease DEFAULTS = new AssociationLease(
                Duration.ofSeconds(15),
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                WhenRedisUnavailable.SHARE,
                Duration.ofSeconds(2));

        /** Without an idle timeout: the defaults. */
        public AssociationLease(
                Duration ttl,
                Duration renewInterval,
                Duration waitPollInterval,
                WhenRedisUnavailable whenRedisUnavailable) {
            this(ttl, renewInterval, waitPollInterval, whenRedisUnavailable, null);
        }

        /** What a worker does when the leases in Redis cannot be reached. */
        public enum WhenRedisUnavailable {
            /** Open up to this worker's share of the limit, as divided among the workers last seen serving it. */
            SHARE,
            /** Open nothing: the C-FIND fails at once. */
            REFUSE
        }

        public AssociationLease {
            ttl = ttl == null ? DEFAULTS.ttl() : ttl;
            renewInterval = renewInterval == null ? DEFAULTS.renewInterval() : renewInterval;
            waitPollInterval = waitPollInterval == null ? DEFAULTS.waitPollInterval() : waitPollInterval;
            whenRedisUnavailable =
                    whenRedisUnavailable == null ? DEFAULTS.whenRedisUnavailable() : whenRedisUnavailable;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(2) : idleTimeout;
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "association-lease.idle-timeout must not be negative, was " + idleTimeout);
            }
            if (renewInterval.compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("association-lease.renew-interval (" + renewInterval
                        + ") must be shorter than association-lease.ttl (" + ttl + ")");
            }
        }
    }

    /**
     * The association layer ({@code spanner.worker.dicom}).
     *
     * @param connectTimeout TCP connect
     * @param associateTimeout A-ASSOCIATE-AC/RJ wait
     * @param responseTimeout silence allowed between C-FIND responses and for a C-ECHO response
     * @param cancelTimeout wait for the final response after C-CANCEL before aborting
     * @param eventLoopThreads Netty threads for all associations
     */
    public record Dicom(
            Duration connectTimeout,
            Duration associateTimeout,
            Duration responseTimeout,
            Duration cancelTimeout,
            int eventLoopThreads) {}

    /**
     * The per-source circuit breaker ({@code spanner.worker.circuit}).
     *
     * @param failureThreshold consecutive connection failures or timeouts that open the circuit
     * @param coolDown how long an open circuit answers CIRCUIT_OPEN before one trial C-FIND is let through
     */
    public record Circuit(int failureThreshold, Duration coolDown) {}

    /**
     * Scheduled C-ECHO ({@code spanner.worker.health}).
     *
     * @param enabled whether to echo at all
     * @param interval time between two rounds of echoes
     * @param ttl how long a health entry stays in Redis without being refreshed
     * @param forgetAfter a source seen in no task for this long is no longer echoed
     */
    public record Health(boolean enabled, Duration interval, Duration ttl, Duration forgetAfter) {}

    /**
     * DICOM TLS towards sources with {@code tls: true} ({@code spanner.worker.tls}).
     *
     * @param bundle the Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<bundle>}) with the worker's client
     *     certificate and key, and as trust store the CAs of the PACS it trusts; none configured: TLS sources fail,
     *     the worker runs
     * @param profile the PS3.15 Annex B profile: TLS versions and cipher suites offered
     */
    public record Tls(@NotBlank String bundle, TlsProfile profile) {
        public static final String DEFAULT_BUNDLE = "dicom-client";

        public Tls {
            bundle = bundle == null ? DEFAULT_BUNDLE : bundle;
            profile = profile == null ? TlsProfile.BCP195_NON_DOWNGRADING : profile;
        }
    }
}
