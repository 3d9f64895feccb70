package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRejectedException;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.TlsFailure;
import io.dicomspanner.dicom.net.pool.AssociationPool;
import io.dicomspanner.dicom.net.pool.PooledAssociation;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOperation;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.cancel.RunningQueries;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs single C-FINDs against a source on the process-wide {@link AssociationPool}: within the task's deadline, within
 * this worker's share of the source's associations, with retries of connection failures, registered for C-CANCEL.
 *
 * <p>A source's associations are shared out across the fleet by configuration: each worker opens at most {@code
 * max(1, maxAssociations / spanner.worker.fleet-size)} to it, so the fleet stays within the PACS's limit as long as
 * fleet-size is the number of workers serving the source.
 */
@Component
public class SourceFinder {
    private static final Logger LOG = LoggerFactory.getLogger(SourceFinder.class);

    /**
     * What one C-FIND is for: the task's query, its source and deadline.
     *
     * @param started told of every C-FIND sent, so the task can cancel its own when it is abandoned
     */
    public record FindContext(
            String queryId,
            SourceEndpoint source,
            long deadlineEpochMillis,
            int retryAttempts,
            Consumer<FindOperation> started) {
        public DicomPeer peer() {
            return DicomClientTls.peer(source);
        }
    }

    private final AssociationPool pool;
    private final DicomClientTls tls;
    private final RunningQueries running;
    private final Clock clock;
    private final int fleetSize;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Map<Long, AsyncLimiter> limiters = new ConcurrentHashMap<>();

    public SourceFinder(
            AssociationPool pool,
            DicomClientTls tls,
            RunningQueries running,
            Clock clock,
            WorkerProperties properties) {
        this.pool = pool;
        this.tls = tls;
        this.running = running;
        this.clock = clock;
        this.fleetSize = properties.fleetSize();
        this.retryBackoff = properties.retryBackoff();
        this.retryBackoffMax = properties.retryBackoffMax();
    }

    /** This worker's share of a source's associations. */
    public int associationShare(SourceEndpoint source) {
        return Math.max(1, source.maxAssociations() / fleetSize);
    }

    /** Associations to the source in use by this worker's C-FINDs now. */
    public int associationsInUse(long sourceId) {
        AsyncLimiter l = limiters.get(sourceId);
        return l == null ? 0 : l.inUse();
    }

    /**
     * Sends one C-FIND; each match goes to {@code onMatch} on an event-loop thread. Fails with {@link CFindFailedException}
     * when there was no final response; a failure status from the PACS is a normal outcome.
     *
     * @param keysFor builds the identifier once the association tells what the PACS negotiated
     */
    public CompletableFuture<FindOutcome> find(
            FindContext ctx,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch) {
        String unavailable = tls.unavailableFor(ctx.source());
        if (unavailable != null) {
            return CompletableFuture.failedFuture(
                    new CFindFailedException(SourceOutcome.CONNECTION_FAILED, unavailable, false, null));
        }
        return attempt(ctx, sopClassUid, keysFor, onMatch, 0);
    }

    private CompletableFuture<FindOutcome> attempt(
            FindContext ctx,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch,
            int retry) {
        AtomicInteger delivered = new AtomicInteger();
        return once(ctx, sopClassUid, keysFor, m -> {
                    delivered.incrementAndGet();
                    onMatch.accept(m);
                })
                .handle((outcome, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(outcome);
                    }
                    CFindFailedException failure = classify(unwrap(error));
                    Duration backoff = backoff(retry);
                    boolean inTime = clock.millis() + backoff.toMillis() < ctx.deadlineEpochMillis();
                    if (failure.isRetryable()
                            && delivered.get() == 0
                            && retry < ctx.retryAttempts()
                            && inTime
                            && !running.isCancelled(ctx.queryId())) {
                        LOG.info(
                                "source {}: {}; retry {} of {} in {} ms",
                                ctx.source().sourceId(),
                                failure.getMessage(),
                                retry + 1,
                                ctx.retryAttempts(),
                                backoff.toMillis());
                        return CompletableFuture.supplyAsync(
                                        () -> null,
                                        CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS))
                                .thenCompose(x -> attempt(ctx, sopClassUid, keysFor, onMatch, retry + 1));
                    }
                    return CompletableFuture.<FindOutcome>failedFuture(failure);
                })
                .thenCompose(Function.identity());
    }

    private CompletableFuture<FindOutcome> once(
            FindContext ctx,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch) {
        if (running.isCancelled(ctx.queryId())) {
            return CompletableFuture.failedFuture(
                    new CFindFailedException(SourceOutcome.CANCELLED, "the query was cancelled", false, null));
        }
        long left = ctx.deadlineEpochMillis() - clock.millis();
        if (left <= 0) {
            return CompletableFuture.failedFuture(new CFindFailedException(
                    SourceOutcome.TIMEOUT, "the deadline passed before the C-FIND started", false, null));
        }
        AsyncLimiter limiter = limiter(ctx.source());
        CompletableFuture<Void> permit = limiter.acquire().orTimeout(left, TimeUnit.MILLISECONDS);
        return permit.handle((x, e) -> {
                    if (e != null) {
                        return CompletableFuture.<FindOutcome>failedFuture(new CFindFailedException(
                                SourceOutcome.TIMEOUT,
                                "no association to the source free before the deadline",
                                false,
                                e));
                    }
                    return withPermit(ctx, sopClassUid, keysFor, onMatch).whenComplete((o, err) -> limiter.release());
                })
                .thenCompose(Function.identity());
    }

    private CompletableFuture<FindOutcome> withPermit(
            FindContext ctx,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch) {
        return pool.acquire(ctx.peer())
                .handle((lease, e) -> {
                    if (e != null) {
                        return CompletableFuture.<FindOutcome>failedFuture(connectFailure(unwrap(e)));
                    }
                    CompletableFuture<FindOutcome> f;
                    try {
                        f = onAssociation(ctx, lease.association(), sopClassUid, keysFor, onMatch);
                    } catch (RuntimeException ex) {
                        lease.release();
                        throw ex;
                    }
                    return f.whenComplete((o, err) -> release(lease));
                })
                .thenCompose(Function.identity());
    }

    private static void release(PooledAssociation lease) {
        lease.release();
    }

    private CompletableFuture<FindOutcome> onAssociation(
            FindContext ctx,
            Association association,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch) {
        if (association.presentationContext(sopClassUid).isEmpty()) {
            return CompletableFuture.failedFuture(new CFindFailedException(
                    SourceOutcome.REFUSED, "the source did not accept " + SopClasses.name(sopClassUid), false, null));
        }
        long left = ctx.deadlineEpochMillis() - clock.millis();
        if (left <= 0) {
            return CompletableFuture.failedFuture(new CFindFailedException(
                    SourceOutcome.TIMEOUT, "the deadline passed before the C-FIND started", false, null));
        }
        Attributes keys = keysFor.apply(QueryOptions.negotiated(association, sopClassUid));
        FindQuery query = FindQuery.of(sopClassUid, keys).withTimeouts(Duration.ofMillis(left), null);
        FindOperation op = CFindScu.find(association, query, (o, identifier) -> onMatch.accept(identifier));
        ctx.started().accept(op);
        if (!running.add(ctx.queryId(), op)) {
            op.cancel();
        }
        return op.completion().whenComplete((o, e) -> running.remove(ctx.queryId(), op));
    }

    private AsyncLimiter limiter(SourceEndpoint source) {
        int share = associationShare(source);
        return limiters.compute(
                source.sourceId(), (id, l) -> l != null && l.permits() == share ? l : new AsyncLimiter(share));
    }

    private Duration backoff(int retry) {
        Duration d = retryBackoff.multipliedBy(1L << Math.min(retry, 20));
        return d.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : d;
    }

    private static CFindFailedException connectFailure(Throwable e) {
        if (e instanceof CFindFailedException f) {
            return f;
        }
        if (e instanceof TlsFailure t) {
            // what the operator must fix, in their words; a certificate problem does not go away on a retry
            return new CFindFailedException(SourceOutcome.CONNECTION_FAILED, t.summary(), isTransient(t), e);
        }
        if (e instanceof AssociationRejectedException) {
            return new CFindFailedException(SourceOutcome.REFUSED, "association rejected: " + e.getMessage(), false, e);
        }
        return new CFindFailedException(SourceOutcome.CONNECTION_FAILED, "no association: " + e.getMessage(), true, e);
    }

    private static boolean isTransient(TlsFailure t) {
        return switch (t.reason()) {
            case CLOSED_BY_PEER, TIMED_OUT, OTHER -> true;
            default -> false;
        };
    }

    private static CFindFailedException classify(Throwable e) {
        if (e instanceof CFindFailedException f) {
            return f;
        }
        if (e instanceof DicomTimeoutException || e instanceof TimeoutException) {
            return new CFindFailedException(SourceOutcome.TIMEOUT, e.getMessage(), false, e);
        }
        return new CFindFailedException(
                SourceOutcome.CONNECTION_FAILED, "C-FIND broke off: " + e.getMessage(), true, e);
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
