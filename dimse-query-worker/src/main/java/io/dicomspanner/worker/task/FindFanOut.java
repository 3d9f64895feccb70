package io.dicomspanner.worker.task;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The C-FINDs one task splits a query into (one per ModalitiesInStudy value, one per study found above a series query),
 * run side by side at most {@code limit} at once. Their matches reach the sink in the order of the items whatever
 * order the C-FINDs end in: the first one's as they come, each later one's once every one before it has ended. A
 * redelivered task so relays the same matches in the same order, and cuts the same batches.
 *
 * <p>How it ends:
 *
 * <ul>
 *   <li>every C-FIND succeeds: a success counting the matches of all;
 *   <li>a C-FIND ends without success (a failure or cancel status): no further one starts, and once the running ones
 *       have ended the fan-out ends with that C-FIND's outcome (of the first to end so, if several);
 *   <li>a C-FIND fails without a final response: its lane ends, and once the other lanes have ended the fan-out fails
 *       with that failure; matches of the C-FINDs after it are not relayed.
 * </ul>
 *
 * A single item is run on the sink directly, its outcome is the fan-out's.
 */
final class FindFanOut {

    /** One C-FIND for an item, its matches to {@code matches}. */
    @FunctionalInterface
    interface Find<T> {
        CompletableFuture<FindOutcome> run(T item, Consumer<Attributes> matches);
    }

    private final int limit;

    /** @param limit C-FINDs at once, at least 1 */
    FindFanOut(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a fan-out runs at least one C-FIND at once, not " + limit);
        }
        this.limit = limit;
    }

    <T> CompletableFuture<FindOutcome> run(List<T> items, Consumer<Attributes> sink, Find<T> find) {
        if (items.size() == 1) {
            return find.run(items.get(0), sink);
        }
        Run<T> run = new Run<>(items, find, new InOrder(items.size(), sink));
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < Math.min(items.size(), limit); i++) {
            lanes.add(run.lane());
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).thenApply(x -> run.outcome());
    }

    /** One fan-out: which item is next, what came back so far. */
    private static final class Run<T> {
        private final List<T> items;
        private final Find<T> find;
        private final InOrder inOrder;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger matchCount = new AtomicInteger();
        private final AtomicReference<FindOutcome> notSuccess = new AtomicReference<>();

        Run(List<T> items, Find<T> find, InOrder inOrder) {
            this.items = items;
            this.find = find;
            this.inOrder = inOrder;
        }

        /** Runs the next item not yet taken, then the next, until none is left or one did not succeed. */
        CompletableFuture<Void> lane() {
            int i = next.getAndIncrement();
            if (i >= items.size() || notSuccess.get() != null) {
                return CompletableFuture.completedFuture(null);
            }
            return find.run(items.get(i), inOrder.buffer(i)).thenCompose(outcome -> {
                inOrder.done(i);
                if (outcome.isSuccess()) {
                    matchCount.addAndGet(outcome.matches());
                } else {
                    notSuccess.compareAndSet(null, outcome);
                }
                return lane();
            });
        }

        FindOutcome outcome() {
            FindOutcome failed = notSuccess.get();
            return failed != null ? failed : new FindOutcome(Status.SUCCESS, null, matchCount.get(), false);
        }
    }

    /**
     * Passes the matches of several C-FINDs on in the order of the C-FINDs: the first one's as they come, the others'
     * once every one before it has ended.
     */
    private static final class InOrder {
        private final List<List<Attributes>> buffers;
        private final boolean[] done;
        private final Consumer<Attributes> sink;
        private int current;

        InOrder(int n, Consumer<Attributes> sink) {
            this.buffers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                buffers.add(new ArrayList<>());
            }
            this.done = new boolean[n];
            this.sink = sink;
        }

        Consumer<Attributes> buffer(int i) {
            return match -> {
                synchronized (this) {
                    if (i == current) {
                        sink.accept(match);
                    } else {
                        buffers.get(i).add(match);
                    }
                }
            };
        }

        synchronized void done(int i) {
            done[i] = true;
            while (current < done.length && done[current]) {
                current++;
                if (current < done.length) {
                    buffers.get(current).forEach(sink);
                    buffers.get(current).clear();
                }
            }
        }
    }
}
