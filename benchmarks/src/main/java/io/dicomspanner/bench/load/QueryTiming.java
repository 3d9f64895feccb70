package io.dicomspanner.bench.load;

/**
 * The spanner's own account of one query, from its status: when the coordinator took it and answered it (its clock,
 * epoch milliseconds, the same machine's clock as the load tools'), and the slowest source's latency as its worker
 * measured it (from taking the task to publishing the last batch: association wait, C-FIND, relaying). With the
 * client's own times of the same query it splits the client's latency into the parts of the path; every entry point's
 * load tool (QIDO-RS {@link LoadTest}, C-FIND {@code FindLoad}) reads them here, so both compute them alike.
 *
 * @param completedEpochMillis -1 while running
 * @param slowestSourceMillis -1 when no source reported a latency (a cache hit or coalesced query asks none)
 */
public record QueryTiming(
        String state,
        boolean fromCache,
        boolean coalesced,
        long createdEpochMillis,
        long completedEpochMillis,
        int sources,
        long slowestSourceMillis) {

    /** The spanner really fanned the query out and completed it, and knows how long its slowest PACS took. */
    public boolean fannedOut() {
        return !fromCache
                && !coalesced
                && "COMPLETE".equals(state)
                && completedEpochMillis > 0
                && slowestSourceMillis >= 0;
    }

    /** The client's latency minus the slowest PACS of this very query: what spanning added. */
    public long overheadMicros(long latencyMicros) {
        return latencyMicros - slowestSourceMillis * 1000;
    }

    /** From the client sending the query to the coordinator taking it (entry point, request queue). */
    public long toCoordinatorMicros(long sentEpochMillis) {
        return (createdEpochMillis - sentEpochMillis) * 1000;
    }

    /** From the coordinator taking the query to its answer, minus the slowest PACS (fan-out, task queue, merge). */
    public long inCoordinatorBeyondSlowestMicros() {
        return (completedEpochMillis - createdEpochMillis - slowestSourceMillis) * 1000;
    }

    /** From the coordinator's answer to the client having it (answer queue, entry point, network). */
    public long fromCoordinatorMicros(long receivedEpochMillis) {
        return (receivedEpochMillis - completedEpochMillis) * 1000;
    }
}
