package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRejectedException;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.TlsFailure;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOperation;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.cancel.RunningQueries;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs single C-FINDs against a source: within the task's deadline, within the source's fleet-wide association limit,
 * with retries of connection failures, registered for C-CANCEL.
 *
 * <p>Each C-FIND runs on an association open under a {@link FleetAssociationLimit.Permit} (a lease in Redis on one of
 * the source's {@code max_associations}): one kept open by the source's last C-FIND on this worker, one handed over
 * as another C-FIND ended, or one it opens once it holds a permit. The lease is given back only once the connection is
 * closed. So every association the PACS sees from the fleet, for its whole open life, is covered by one lease, and the
 * fleet never has more open than the source allows.
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

    private final DicomClient client;
    private final FleetAssociationLimit limit;
    private final DicomClientTls tls;
    private final RunningQueries running;
    private final Clock clock;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Duration closeWait;
    private final Duration idleTimeout;
    /** Associations open after a C-FIND, with their leases, by source: the next C-FIND there takes one. */
    private final Map<Long, Deque<Kept>> idle = new ConcurrentHashMap<>();

    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-associations");
        t.setDaemon(true);
        return t;
    });

    /** Associations handed with their permits to C-FINDs that waited for one ({@link #finished}), until they take them. */
    private final Map<FleetAssociationLimit.Permit, Kept> handed = new ConcurrentHashMap<>();

    /** An association kept open between C-FINDs, under its lease. */
    private record Kept(Association association, FleetAssociationLimit.Permit permit, DicomPeer peer, long since) {}

    public SourceFinder(
            DicomClient client,
            FleetAssociationLimit limit,
            DicomClientTls tls,
            RunningQueries running,
            Clock clock,
            WorkerProperties properties) {
        this.client = client;
        this.limit = limit;
        this.tls = tls;
        this.running = running;
        this.clock = clock;
        this.retryBackoff = properties.retryBackoff();
        this.retryBackoffMax = properties.retryBackoffMax();
        this.closeWait =
                properties.dicom().cancelTimeout().plus(properties.dicom().associateTimeout());
        this.idleTimeout = properties.associationLease().idleTimeout();
        if (!idleTimeout.isZero()) {
            long every = Math.max(50, idleTimeout.toMillis() / 4);
            reaper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes every association kept open: the worker is stopping. */
    @PreDestroy
    public void close() {
        reaper.shutdownNow();
        idle.values().forEach(line -> {
            Kept k;
            while ((k = poll(line)) != null) {
                close(k.association(), k.permit());
            }
        });
    }

    private static Kept poll(Deque<Kept> line) {
        synchronized (line) {
            return line.pollFirst();
        }
    }

    /** Closes the associations idle longer than the idle timeout, or that the PACS has closed meanwhile. */
    private void closeIdle() {
        long now = System.nanoTime();
        for (Deque<Kept> line : idle.values()) {
            List<Kept> old = new ArrayList<>();
            synchronized (line) {
                for (Iterator<Kept> it = line.iterator(); it.hasNext(); ) {
                    Kept k = it.next();
                    if (now - k.since() >= idleTimeout.toNanos()
                            || !k.association().isEstablished()) {
                        it.remove();
                        old.add(k);
                    }
                }
            }
            old.forEach(k -> close(k.association(), k.permit()));
        }
    }

    /** An association of this source to {@code peer} kept open, still established; null when there is none. */
    private Kept takeIdle(long sourceId, DicomPeer peer) {
        Deque<Kept> line = idle.get(sourceId);
        if (line == null) {
            return null;
        }
        while (true) {
            Kept k;
            synchronized (line) {
                // the most recently used first: the others reach the idle timeout and close
                k = line.pollLast();
            }
            if (k == null) {
                return null;
            }
            if (k.association().isEstablished() && k.peer().equals(peer)) {
                return k;
            }
            close(k.association(), k.permit());
        }
    }

    /**
     * After a C-FIND: the association, still open under its lease, goes to the C-FIND of this worker waiting longest
     * for the source, or is kept for the source's next C-FIND for up to the idle timeout. It is closed instead when
     * keeping is off, the association is not fit to keep, or callers wait that cannot take it: C-FINDs while this
     * worker holds more than its fair share of the source's associations ({@link FleetAssociationLimit#handOver}), or
     * a health check waiting for a lease of its own, which gets this association's lease once it is closed ({@link
     * FleetAssociationLimit#passOnceClosed}).
     */
    private void finished(
            FindContext ctx, Association association, FleetAssociationLimit.Permit permit, Throwable error) {
        long sourceId = ctx.source().sourceId();
        if (error != null || idleTimeout.isZero() || !association.isEstablished() || reaper.isShutdown()) {
            close(association, permit);
            return;
        }
        Kept kept = new Kept(association, permit, ctx.peer(), System.nanoTime());
        if (handOver(kept)) {
            return;
        }
        if (limit.waiting(sourceId) > 0) {
            close(association, limit.passOnceClosed(permit));
            return;
        }
        Deque<Kept> line = idle.computeIfAbsent(sourceId, id -> new ArrayDeque<>());
        synchronized (line) {
            line.addLast(kept);
        }
        // a C-FIND that began waiting meanwhile found no idle association: it gets this one, or its lease back
        if (limit.waiting(sourceId) > 0) {
            boolean taken;
            synchronized (line) {
                taken = line.remove(kept);
            }
            if (taken && !handOver(kept)) {
                close(association, limit.passOnceClosed(permit));
            }
        }
    }

    private boolean handOver(Kept kept) {
        handed.put(kept.permit(), kept);
        if (limit.handOver(kept.permit())) {
            return true;
        }
        handed.remove(kept.permit());
        return false;
    }

    /** Associations to the source this worker holds open (each under a fleet-wide lease) now. */
    public int associationsInUse(long sourceId) {
        return limit.associationsInUse(sourceId);
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
            return CompletableFuture.failedFuture(CFindFailedException.deadlinePassedBeforeStart());
        }
        Kept kept = takeIdle(ctx.source().sourceId(), ctx.peer());
        if (kept != null) {
            return onKept(ctx, kept.association(), kept.permit(), sopClassUid, keysFor, onMatch);
        }
        return limit.acquire(ctx.source(), ctx.deadlineEpochMillis()).thenCompose(permit -> {
            Kept passed = handed.remove(permit);
            if (running.isCancelled(ctx.queryId())) {
                // cancelled while it waited for an association: none is opened, one handed over is kept or closed
                if (passed != null) {
                    finished(ctx, passed.association(), permit, null);
                } else {
                    permit.release();
                }
                return CompletableFuture.failedFuture(
                        new CFindFailedException(SourceOutcome.CANCELLED, "the query was cancelled", false, null));
            }
            if (passed == null) {
                return withPermit(ctx, permit, sopClassUid, keysFor, onMatch);
            }
            if (passed.association().isEstablished() && passed.peer().equals(ctx.peer())) {
                return onKept(ctx, passed.association(), permit, sopClassUid, keysFor, onMatch);
            }
            // closed by the PACS meanwhile, or the source moved: give it back and wait again
            close(passed.association(), permit);
            return once(ctx, sopClassUid, keysFor, onMatch);
        });
    }

    /** Opens an association under {@code permit}, runs the C-FIND, closes it, then gives the permit back. */
    private CompletableFuture<FindOutcome> withPermit(
            FindContext ctx,
            FleetAssociationLimit.Permit permit,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch) {
        CompletableFuture<Association> connect;
        try {
            connect = client.connect(ctx.peer(), DicomConfiguration.queryRequest(ctx.peer()));
        } catch (RuntimeException e) {
            permit.release();
            return CompletableFuture.failedFuture(connectFailure(e));
        }
        return connect.handle((association, e) -> {
                    if (e != null) {
                        // a refused or failed connect leaves no connection open
                        permit.release();
                        return CompletableFuture.<FindOutcome>failedFuture(connectFailure(unwrap(e)));
                    }
                    permit.onLost(association::abortAndClose);
                    return onKept(ctx, association, permit, sopClassUid, keysFor, onMatch);
                })
                .thenCompose(Function.identity());
    }

    /** Runs the C-FIND on an open association under {@code permit}; then keeps or closes it ({@link #finished}). */
    private CompletableFuture<FindOutcome> onKept(
            FindContext ctx,
            Association association,
            FleetAssociationLimit.Permit permit,
            String sopClassUid,
            Function<QueryOptions, Attributes> keysFor,
            Consumer<Attributes> onMatch) {
        CompletableFuture<FindOutcome> f;
        try {
            f = onAssociation(ctx, association, sopClassUid, keysFor, onMatch);
        } catch (RuntimeException ex) {
            f = CompletableFuture.failedFuture(ex);
        }
        return f.whenComplete((o, err) -> finished(ctx, association, permit, err));
    }

    /** Releases the association (aborts it if that takes too long) and gives the lease back once it is closed. */
    private void close(Association association, FleetAssociationLimit.Permit permit) {
        close(association, permit::release);
    }

    /** Releases the association (aborts it if that takes too long); {@code closed} runs once its connection is closed. */
    private void close(Association association, Runnable closed) {
        CompletableFuture<Void> released =
                association.isEstablished() ? association.release() : association.closeFuture();
        released.orTimeout(closeWait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((x, e) -> {
            if (e == null) {
                closed.run();
                return;
            }
            association.abortAndClose();
            association.closeFuture().whenComplete((y, e2) -> closed.run());
        });
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
            return CompletableFuture.failedFuture(CFindFailedException.deadlinePassedBeforeStart());
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
        if (e instanceof AssociationRejectedException r) {
            // rejected-transient (local limit exceeded, temporary congestion) asks the requestor to try again later
            // (PS3.8 9.3.4): the PACS saw no query. A PACS may count an association until its own side of the
            // connection has closed, a moment after the fleet's lease on it was given back. Rejected-permanent (an
            // unknown AE title) says the same on a retry.
            boolean transientReject = r.reject() != null && r.reject().isTransient();
            return new CFindFailedException(
                    SourceOutcome.REFUSED, "association rejected: " + e.getMessage(), transientReject, e);
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
