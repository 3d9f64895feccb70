package io.dicomspanner.worker.find;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A semaphore whose waiters are futures, so C-FINDs chained on event-loop threads wait for a permit without blocking a
 * thread.
 */
final class AsyncLimiter {
    private final int permits;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int inUse;

    AsyncLimiter(int permits) {
        this.permits = permits;
    }

    int permits() {
        return permits;
    }

    synchronized int inUse() {
        return inUse;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (inUse < permits) {
                inUse++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> w = new CompletableFuture<>();
            waiters.add(w);
            return w;
        }
    }

    /** Hands the permit to the next waiter that still waits (one that timed out meanwhile is skipped). */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiters.poll();
                if (next == null) {
                    inUse--;
                    return;
                }
            }
            if (next.complete(null)) {
                return;
            }
        }
    }
}
