package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The fleet-wide limit of a source's associations: a worker opens an association to a source only while it holds one
 * of the source's leases in Redis ({@link AssociationLeases}), and the source never has more unexpired leases than its
 * {@code max_associations}, however many workers serve it.
 *
 * <p>Why a lease per open association: an association the worker keeps open is one the PACS counts, idle or busy.
 * {@link SourceFinder} opens an association once it holds a {@link Permit} and gives the lease back only when the
 * connection is closed, so no association outlives its lease. Between C-FINDs an association stays open under its
 * lease: it goes straight to the next C-FIND of this worker waiting for the source ({@link #handOver}), or waits at
 * most {@code idle-timeout} for one; so under load a busy source's associations are reused rather than set up per
 * C-FIND, and an idle association holds a lease other workers wait for at most {@code idle-timeout}.
 *
 * <p>C-FINDs wait in line per source (first come, first served on this worker) until a lease is free or their deadline
 * passes; the head of the line asks Redis every {@code wait-poll-interval}, and a lease given back or an association
 * handed over on this worker goes to the next in line at once. Held leases are renewed every {@code renew-interval}; one that cannot be
 * renewed before it expires is lost, and the C-FIND on it is aborted, since another worker may hold it now. A worker
 * that dies stops renewing: its leases expire {@code ttl} after their last renewal at the latest.
 *
 * <p>Redis unreachable: queries must still be answered (losing Redis degrades, never fails a query), and the PACS's
 * limit must still hold. Each worker therefore registers, every {@code renew-interval}, as serving each source it has
 * run C-FINDs for ({@link AssociationLeases#register}), and remembers how many workers Redis showed and its place
 * among them. While Redis is away ({@code when-redis-unavailable: SHARE}, the default) it opens up to its share of the
 * limit without leases: {@code max / workers}, one more for the first {@code max % workers} by id, so the shares add
 * up to the limit exactly. A worker whose share is 0 (more workers than associations), or that never learned its share,
 * fails the C-FIND at once naming the cause. Logged once per outage, counted in {@code
 * spanner_worker_association_lease_fallbacks}. The limit holds through the outage as long as no worker joins the
 * source meanwhile (a worker that never reached Redis knows no share and opens nothing). Associations still open under
 * leases taken before the outage count against the share. With {@code REFUSE} every C-FIND fails at once instead.
 *
 * <p>All Redis calls run on one thread of its own, never on an event loop; waiters' futures are completed on other
 * threads, so nothing a C-FIND chains on its permit runs on the lease thread.
 */
@Component
public class FleetAssociationLimit {
    private static final Logger LOG = LoggerFactory.getLogger(FleetAssociationLimit.class);

    /** Leave to use one association to a source; give it back with {@link #release()} once the association closed. */
    public final class Permit {
        private final SourceLine line;
        private final String leaseId;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile long expiresAtNanos;
        private volatile Runnable onLost;

        private Permit(SourceLine line, String leaseId) {
            this.line = line;
            this.leaseId = leaseId;
            this.expiresAtNanos = System.nanoTime() + settings.ttl().toNanos();
        }

        /** True for an association opened without a lease because Redis could not be reached. */
        public boolean isFallback() {
            return leaseId == null;
        }

        /** Runs {@code action} (on the lease thread) if the lease expires while held; it should abort the association. */
        public void onLost(Runnable action) {
            this.onLost = action;
        }

        /** Gives the lease back; safe from any thread, and more than once. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                submit(() -> line.released(this));
            }
        }
    }

    /**
     * A caller waiting for a lease; {@code takesHandOver}: it can run on an association another C-FIND hands over with
     * its lease ({@link #handOver}), not only on one it opens itself.
     */
    private record Waiter(CompletableFuture<Permit> future, int max, long enqueuedNanos, boolean takesHandOver) {}

    /** One source's line of waiting C-FINDs and the leases this worker holds on it; guarded by itself. */
    private final class SourceLine {
        final long sourceId;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        final Set<Permit> held = ConcurrentHashMap.newKeySet();
        int fallbackInUse;
        /** Workers serving the source and this one's place, as Redis last said; null until it said. */
        volatile AssociationLeases.Workers workers;

        boolean pumpQueued;
        boolean redisDown;

        SourceLine(long sourceId) {
            this.sourceId = sourceId;
        }

        synchronized int waiting() {
            return waiters.size();
        }

        int open() {
            return held.size();
        }

        /** Runs on the lease thread: serves the line from Redis until it is empty or no lease is free. */
        void pump() {
            synchronized (this) {
                pumpQueued = false;
            }
            while (true) {
                Waiter w;
                synchronized (this) {
                    waiters.removeIf(x -> x.future().isDone());
                    w = waiters.peek();
                }
                if (w == null) {
                    return;
                }
                String leaseId = UUID.randomUUID().toString();
                boolean taken;
                try {
                    taken = leases.tryAcquire(sourceId, leaseId, w.max(), settings.ttl());
                } catch (DataAccessException e) {
                    redisUnavailable(e);
                    return;
                }
                if (redisDown) {
                    redisDown = false;
                    LOG.info("source {}: association leases in Redis reachable again", sourceId);
                }
                if (!taken) {
                    schedulePump(settings.waitPollInterval());
                    return;
                }
                hand(w, new Permit(this, leaseId));
            }
        }

        private void hand(Waiter w, Permit p) {
            synchronized (this) {
                waiters.remove(w);
            }
            held.add(p);
            complete(w, p);
        }

        private void redisUnavailable(DataAccessException e) {
            if (!redisDown) {
                redisDown = true;
                LOG.warn(
                        "source {}: association leases in Redis unreachable ({}); {}",
                        sourceId,
                        e.getMessage(),
                        fallbackShare(Integer.MAX_VALUE) == 0
                                ? "C-FINDs to the source fail until it is back"
                                : "this worker opens up to its share of the source's associations without leases ("
                                        + workers + ")");
            }
            List<Waiter> failed = new ArrayList<>();
            boolean more;
            synchronized (this) {
                waiters.removeIf(x -> x.future().isDone());
                Waiter head = waiters.peek();
                if (head != null && fallbackShare(head.max()) == 0) {
                    failed.addAll(waiters);
                    waiters.clear();
                }
                more = !waiters.isEmpty();
            }
            for (Waiter w : failed) {
                CFindFailedException failure = new CFindFailedException(
                        SourceOutcome.CONNECTION_FAILED,
                        "the fleet-wide association limit of the source cannot be checked (Redis unreachable);"
                                + " no association opened",
                        false,
                        e);
                callbacks.execute(() -> w.future().completeExceptionally(failure));
            }
            while (more) {
                Waiter w;
                synchronized (this) {
                    waiters.removeIf(x -> x.future().isDone());
                    w = waiters.peek();
                    if (w == null || fallbackInUse + held.size() >= fallbackShare(w.max())) {
                        break;
                    }
                    fallbackInUse++;
                }
                metrics.associationLeaseFallback(sourceId);
                Permit p = new Permit(this, null);
                synchronized (this) {
                    waiters.remove(w);
                }
                complete(w, p);
            }
            schedulePump(settings.waitPollInterval());
        }

        /**
         * Hands {@code p} to the waiter on a callback thread: what the C-FIND chains on its future then never runs on
         * the lease thread, so it cannot hold up renewals.
         */
        private void complete(Waiter w, Permit p) {
            callbacks.execute(() -> {
                if (w.future().complete(p)) {
                    metrics.associationWait(sourceId, Duration.ofNanos(System.nanoTime() - w.enqueuedNanos()));
                } else {
                    p.release();
                }
            });
        }

        /** This worker's part of {@code max} while Redis is away; 0 with REFUSE or when no share is known. */
        int fallbackShare(int max) {
            AssociationLeases.Workers w = workers;
            if (settings.whenRedisUnavailable() == WorkerProperties.AssociationLease.WhenRedisUnavailable.REFUSE
                    || w == null) {
                return 0;
            }
            return w.share(max);
        }

        /** Runs on the lease thread: tells Redis this worker serves the source, and learns its share. */
        void register() {
            try {
                workers = leases.register(sourceId, workerId, settings.ttl());
            } catch (DataAccessException e) {
                // the share last learned stands
            }
        }

        /** Runs on the lease thread. */
        void released(Permit p) {
            if (p.isFallback()) {
                synchronized (this) {
                    fallbackInUse--;
                }
            } else if (held.remove(p)) {
                try {
                    leases.release(sourceId, p.leaseId);
                } catch (DataAccessException e) {
                    LOG.warn(
                            "source {}: could not give an association lease back ({}); it expires within {}",
                            sourceId,
                            e.getMessage(),
                            settings.ttl());
                }
            }
            pump();
        }

        void schedulePump(Duration delay) {
            synchronized (this) {
                if (pumpQueued || waiters.isEmpty()) {
                    return;
                }
                pumpQueued = true;
            }
            try {
                if (delay.isZero()) {
                    executor.execute(this::pump);
                } else {
                    executor.schedule(this::pump, delay.toNanos(), TimeUnit.NANOSECONDS);
                }
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    pumpQueued = false;
                }
            }
        }

        void renewAll() {
            for (Iterator<Permit> it = held.iterator(); it.hasNext(); ) {
                Permit p = it.next();
                boolean kept;
                try {
                    kept = leases.renew(sourceId, p.leaseId, settings.ttl());
                    if (kept) {
                        p.expiresAtNanos = System.nanoTime() + settings.ttl().toNanos();
                    }
                } catch (DataAccessException e) {
                    kept = System.nanoTime() < p.expiresAtNanos;
                    LOG.warn("source {}: could not renew an association lease: {}", sourceId, e.getMessage());
                }
                if (!kept) {
                    it.remove();
                    LOG.warn("source {}: an association lease expired while held; aborting its association", sourceId);
                    Runnable lost = p.onLost;
                    if (lost != null) {
                        lost.run();
                    }
                }
            }
        }
    }

    private final AssociationLeases leases;
    private final WorkerProperties.AssociationLease settings;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final ExecutorService callbacks;
    private final Map<Long, SourceLine> lines = new ConcurrentHashMap<>();
    /** This worker's id among those serving a source. */
    private final String workerId = UUID.randomUUID().toString();

    public FleetAssociationLimit(
            StringRedisTemplate redis, WorkerProperties properties, WorkerMetrics metrics, Clock clock) {
        this.leases = new AssociationLeases(redis);
        this.settings = properties.associationLease();
        this.metrics = metrics;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "association-leases");
            t.setDaemon(true);
            return t;
        });
        this.callbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "association-permits");
            t.setDaemon(true);
            return t;
        });
        long renewNanos = settings.renewInterval().toNanos();
        executor.scheduleWithFixedDelay(this::renewAll, renewNanos, renewNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A permit for one association to {@code source}, once one of its {@code maxAssociations} leases is free; fails
     * with a {@link CFindFailedException} (TIMEOUT) naming the wait when {@code deadlineEpochMillis} passes first.
     */
    public CompletableFuture<Permit> acquire(SourceEndpoint source, long deadlineEpochMillis) {
        return acquire(source, deadlineEpochMillis, true);
    }

    /**
     * A permit for an association the caller opens itself and closes when done (the health check's C-ECHO): it waits
     * in line like a C-FIND, but only for a lease of its own, never for an association handed over, which it would
     * not use, leaving it open without a lease.
     */
    public CompletableFuture<Permit> acquireForOwnAssociation(SourceEndpoint source, long deadlineEpochMillis) {
        return acquire(source, deadlineEpochMillis, false);
    }

    private CompletableFuture<Permit> acquire(SourceEndpoint source, long deadlineEpochMillis, boolean takesHandOver) {
        SourceLine line = line(source.sourceId());
        int max = Math.max(1, source.maxAssociations());
        Waiter w = new Waiter(new CompletableFuture<>(), max, System.nanoTime(), takesHandOver);
        synchronized (line) {
            line.waiters.add(w);
        }
        long left = Math.max(0, deadlineEpochMillis - clock.millis());
        try {
            executor.schedule(() -> timedOut(line, w), left, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            w.future()
                    .completeExceptionally(
                            new CFindFailedException(SourceOutcome.CANCELLED, "the worker is shutting down", false, e));
            return w.future();
        }
        line.schedulePump(Duration.ZERO);
        return w.future();
    }

    /**
     * Hands {@code permit}, still held, straight to the C-FIND of this worker that has waited longest for one of the
     * source's associations: the lease stays with the association it covers, and the waiter is completed on the
     * calling thread. A waiter for a lease of its own ({@link #acquireForOwnAssociation}) is passed over: it keeps its
     * place for the next lease. False when no C-FIND waits, or when this worker holds more than its fair share of the
     * source's associations among the workers serving it (the lease should go back, so that other workers' C-FINDs
     * waiting for the source get their turn); the caller still holds the permit then.
     */
    public boolean handOver(Permit permit) {
        SourceLine line = permit.line;
        if (permit.released.get()) {
            return false;
        }
        while (true) {
            Waiter w = null;
            synchronized (line) {
                Iterator<Waiter> it = line.waiters.iterator();
                while (it.hasNext()) {
                    Waiter next = it.next();
                    if (next.takesHandOver()) {
                        w = next;
                        break;
                    }
                }
                AssociationLeases.Workers fleet = line.workers;
                if (w == null || (fleet != null && fleet.count() > 1 && line.open() > fleet.share(w.max()))) {
                    return false;
                }
                // the iterator stands on w: no second scan of the line
                it.remove();
            }
            if (w.future().complete(permit)) {
                metrics.associationWait(line.sourceId, Duration.ofNanos(System.nanoTime() - w.enqueuedNanos()));
                return true;
            }
        }
    }

    /**
     * For an association about to be closed because callers wait for the source: the caller that has waited longest
     * for a lease of its own ({@link #acquireForOwnAssociation}) is taken out of line now and gets {@code permit},
     * lease and all, once the association is closed; run the returned action then. So one closed association serves
     * one such caller, and the C-FINDs that end meanwhile see nobody waiting and keep theirs, where a lease given back
     * to Redis would leave the caller in line, closing every association that ended, until it took the lease. With no
     * such caller in line the action gives the lease back.
     */
    public Runnable passOnceClosed(Permit permit) {
        SourceLine line = permit.line;
        Waiter claimed = null;
        synchronized (line) {
            for (Iterator<Waiter> it = line.waiters.iterator(); it.hasNext(); ) {
                Waiter next = it.next();
                if (!next.takesHandOver() && !next.future().isDone()) {
                    claimed = next;
                    it.remove();
                    break;
                }
            }
        }
        if (claimed == null) {
            return permit::release;
        }
        Waiter w = claimed;
        return () -> line.complete(w, permit);
    }

    /** Associations to the source this worker holds leases for (open, opening or closing). */
    public int associationsInUse(long sourceId) {
        SourceLine l = lines.get(sourceId);
        return l == null ? 0 : l.open();
    }

    /** C-FINDs of this worker waiting for an association to the source. */
    public int waiting(long sourceId) {
        SourceLine l = lines.get(sourceId);
        return l == null ? 0 : l.waiting();
    }

    private void timedOut(SourceLine line, Waiter w) {
        if (w.future().isDone()) {
            return;
        }
        callbacks.execute(() -> {
            Duration waited = Duration.ofNanos(System.nanoTime() - w.enqueuedNanos());
            synchronized (line) {
                line.waiters.remove(w);
            }
            boolean failed = w.future()
                    .completeExceptionally(CFindFailedException.timedOutWaitingForAssociation(
                            "the deadline passed while waiting " + waited.toMillis()
                                    + " ms for a free association: all " + w.max()
                                    + " of the source's associations were in use across the worker fleet"));
            if (failed) {
                metrics.associationWait(line.sourceId, waited);
            }
        });
    }

    private SourceLine line(long sourceId) {
        return lines.computeIfAbsent(sourceId, id -> {
            SourceLine l = new SourceLine(id);
            metrics.watchAssociations(id, l::open, l::waiting);
            submit(l::register);
            return l;
        });
    }

    private void renewAll() {
        for (SourceLine l : lines.values()) {
            try {
                l.register();
                l.renewAll();
            } catch (RuntimeException e) {
                LOG.error("source {}: renewing association leases failed", l.sourceId, e);
            }
        }
    }

    private void submit(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            // shutting down: a lease not given back expires within the ttl
            LOG.debug("association lease not given back at shutdown; it expires within {}", settings.ttl());
        }
    }

    /**
     * Stops renewing. Leases still held expire within the ttl: giving them back now could let another worker open an
     * association while this one's is still closing.
     */
    @PreDestroy
    public void close() {
        executor.shutdownNow();
        callbacks.shutdown();
    }
}
