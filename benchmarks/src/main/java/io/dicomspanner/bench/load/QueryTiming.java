package io.dicomspanner.bench.load;

/**
 * The spanner's own account of one query, from its status: when the coordinator took it and answered it (its clock,
 * epoch milliseconds, the same machine's clock as the load test's), and the slowest source's latency as its worker
 * measured it (from taking the task to publishing the last batch: association wait, C-FIND, relaying).
 *
 * @param completedEpochMillis -1 while running
 * @param slowestSourceMillis -1 when no source reported a latency (a cache hit or coalesced query asks none)
 */
record QueryTiming(
        String state,
        boolean fromCache,
        boolean coalesced,
        long createdEpochMillis,
        long completedEpochMillis,
        int sources,
        long slowestSourceMillis) {}
