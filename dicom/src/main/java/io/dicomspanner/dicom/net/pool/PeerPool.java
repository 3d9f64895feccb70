package io.dicomspanner.dicom.net.pool;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The associations to one peer. State changes happen under this object's lock, which is held only for bookkeeping:
 * connects, completions of callers' futures and releases run after it is let go, so no caller code runs under it.
 */
final class PeerPool {
    private static final Logger LOG = LoggerFactory.getLogger(PeerPool.class);

    /** One pooled association and its leases. */
    static final class Entry {
        final Association association;
        int leases;
        long idleSince = System.nanoTime();
        ScheduledFuture<?> idleTimer;
        boolean removed;

        Entry(Association association) {
            this.association = association;
        }

        int window() {
            int w = association.maxOperationsInvoked();
            return w == 0 ? Integer.MAX_VALUE : w;
        }
    }

    private record Waiter(CompletableFuture<PooledAssociation> future, ScheduledFuture<?>[] timeout) {}

    private final DicomPeer peer;
    private final DicomClient client;
    private final AssociationRequest request;
    private final DicomSettings settings;
    private final ScheduledExecutorService timers;
    private final List<Entry> entries = new ArrayList<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int opening;
    private boolean closed;

    PeerPool(DicomPeer peer, DicomClient client, AssociationRequest request, ScheduledExecutorService timers) {
        this.peer = peer;
        this.client = client;
        this.request = request;
        this.settings = client.settings();
        this.timers = timers;
    }

    CompletableFuture<PooledAssociation> acquire() {
        List<Runnable> after = new ArrayList<>(2);
        CompletableFuture<PooledAssociation> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                result.completeExceptionally(new PoolExhaustedException("the association pool is closed"));
                return result;
            }
            Entry e = usableEntry();
            if (e != null) {
                lease(e);
                handOver(e, result, after);
            } else if (entries.size() + opening < settings.poolMaxAssociationsPerPeer()) {
                opening++;
                after.add(() -> open(result));
            } else if (waiters.size() >= settings.poolMaxWaitersPerPeer()) {
                result.completeExceptionally(new PoolExhaustedException(
                        settings.poolMaxWaitersPerPeer() + " callers already wait for an association to " + peer));
            } else {
                ScheduledFuture<?>[] timeout = new ScheduledFuture<?>[1];
                Waiter w = new Waiter(result, timeout);
                waiters.add(w);
                timeout[0] = timers.schedule(
                        () -> onWaitTimeout(w), settings.poolAcquireTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        after.forEach(Runnable::run);
        return result;
    }

    void release(Entry e) {
        List<Runnable> after = new ArrayList<>(2);
        synchronized (this) {
            e.leases--;
            if (!e.removed && (closed || !e.association.isEstablished())) {
                remove(e);
                if (closed && e.association.isEstablished()) {
                    after.add(e.association::release);
                }
            }
            dispatch(after);
            if (!e.removed && e.leases == 0) {
                e.idleSince = System.nanoTime();
                e.idleTimer = timers.schedule(
                        () -> evictIfIdle(e), settings.poolIdleTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        after.forEach(Runnable::run);
    }

    synchronized PoolStats stats() {
        int leased = 0;
        int idle = 0;
        for (Entry e : entries) {
            leased += e.leases;
            if (e.leases == 0) {
                idle++;
            }
        }
        return new PoolStats(entries.size(), opening, leased, idle, waiters.size());
    }

    void close() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Waiter w : waiters) {
                w.timeout()[0].cancel(false);
                after.add(() -> w.future().completeExceptionally(new PoolExhaustedException("the pool was closed")));
            }
            waiters.clear();
            for (Entry e : new ArrayList<>(entries)) {
                if (e.leases == 0) {
                    remove(e);
                    after.add(e.association::release);
                }
            }
        }
        after.forEach(Runnable::run);
    }

    private void open(CompletableFuture<PooledAssociation> caller) {
        client.connect(peer, request).whenComplete((as, error) -> onOpened(as, error, caller));
    }

    private void onOpened(Association as, Throwable error, CompletableFuture<PooledAssociation> caller) {
        List<Runnable> after = new ArrayList<>(2);
        synchronized (this) {
            opening--;
            if (error != null) {
                LOG.warn("cannot open an association for the pool: {}: {}", peer, error.getMessage());
                after.add(() -> caller.completeExceptionally(error));
            } else if (closed) {
                after.add(as::release);
                after.add(() -> caller.completeExceptionally(new PoolExhaustedException("the pool was closed")));
            } else {
                Entry e = new Entry(as);
                entries.add(e);
                after.add(() -> as.closeFuture().thenRun(() -> onClosed(e)));
                lease(e);
                handOver(e, caller, after);
            }
            dispatch(after);
        }
        after.forEach(Runnable::run);
    }

    private void onClosed(Entry e) {
        List<Runnable> after = new ArrayList<>(2);
        synchronized (this) {
            if (!e.removed) {
                LOG.debug("{}: pooled association closed; dropped from the pool", e.association);
                remove(e);
            }
            dispatch(after);
        }
        after.forEach(Runnable::run);
    }

    private void evictIfIdle(Entry e) {
        boolean evict;
        synchronized (this) {
            evict = !e.removed
                    && e.leases == 0
                    && System.nanoTime() - e.idleSince
                            >= settings.poolIdleTimeout().toNanos();
            if (evict) {
                remove(e);
            }
        }
        if (evict) {
            LOG.debug("{}: idle for {}; releasing", e.association, settings.poolIdleTimeout());
            e.association.release();
        }
    }

    private void onWaitTimeout(Waiter w) {
        PoolStats s;
        synchronized (this) {
            if (!waiters.remove(w)) {
                return;
            }
            s = stats();
        }
        w.future()
                .completeExceptionally(new DicomTimeoutException("no association to " + peer + " free within "
                        + settings.poolAcquireTimeout().toMillis() + " ms (" + s.open() + " open, " + s.leased()
                        + " operations running)"));
    }

    /** Serves waiting callers from usable associations, then by opening new ones up to the maximum. */
    private void dispatch(List<Runnable> after) {
        while (!waiters.isEmpty() && !closed) {
            Entry e = usableEntry();
            if (e != null) {
                Waiter w = waiters.poll();
                w.timeout()[0].cancel(false);
                lease(e);
                handOver(e, w.future(), after);
            } else if (entries.size() + opening < settings.poolMaxAssociationsPerPeer()) {
                Waiter w = waiters.poll();
                w.timeout()[0].cancel(false);
                opening++;
                after.add(() -> open(w.future()));
            } else {
                return;
            }
        }
    }

    /** The established association with the fewest leases below its window; drops broken ones on the way. */
    private Entry usableEntry() {
        Entry best = null;
        for (Entry e : new ArrayList<>(entries)) {
            if (!e.association.isEstablished()) {
                if (e.leases == 0) {
                    remove(e);
                }
                continue;
            }
            if (e.leases < e.window()
                    && (best == null
                            || e.leases < best.leases
                            || (e.leases == best.leases && e.idleSince > best.idleSince))) {
                best = e;
            }
        }
        return best;
    }

    private void lease(Entry e) {
        e.leases++;
        if (e.idleTimer != null) {
            e.idleTimer.cancel(false);
            e.idleTimer = null;
        }
    }

    /** Completes a caller's future after the lock; a caller that gave up meanwhile gives the lease straight back. */
    private void handOver(Entry e, CompletableFuture<PooledAssociation> caller, List<Runnable> after) {
        PooledAssociation lease = new PooledAssociation(this, e);
        after.add(() -> {
            if (!caller.complete(lease)) {
                lease.release();
            }
        });
    }

    private void remove(Entry e) {
        e.removed = true;
        entries.remove(e);
        if (e.idleTimer != null) {
            e.idleTimer.cancel(false);
            e.idleTimer = null;
        }
    }
}
