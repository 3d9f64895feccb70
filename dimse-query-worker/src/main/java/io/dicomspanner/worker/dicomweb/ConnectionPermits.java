package io.dicomspanner.worker.dicomweb;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * At most {@code max} requests of one source at once on this worker, waited for without blocking a thread: a request
 * beyond the limit gets a future completed when a permit is given back. A waiter that gave up (its future completed
 * otherwise, e.g. timed out) is skipped.
 */
final class ConnectionPermits {
    private final int max;
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inUse;

    ConnectionPermits(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one request at once, not " + max);
        }
        this.max = max;
    }

    int max() {
        return max;
    }

    synchronized CompletableFuture<Void> acquire() {
        if (inUse < max) {
            inUse++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiting.add(waiter);
        return waiter;
    }

    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inUse--;
                    return;
                }
            }
            if (next.complete(null)) {
                return; // the permit passes to that waiter
            }
        }
    }

    synchronized int inUse() {
        return inUse;
    }
}
