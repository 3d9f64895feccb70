package io.dicomspanner.common.messaging;

/**
 * The one place that knows the Redis key layout. Every key starts with {@code spanner:} so an operator can scan or
 * flush the spanner's state alone.
 */
public final class RedisKeys {
    private RedisKeys() {}

    /** Complete merged answer of a query (before paging), valid for one config version; sealed ({@code SealedCodec}).
     */
    public static String resultCache(long configId, long configVersion, String canonicalHash) {
        return "spanner:cache:" + configId + ":" + configVersion + ":" + canonicalHash;
    }

    /** Held (SET NX PX) by the coordinator fanning out a query; others wait for it instead of fanning out again. */
    public static String inFlight(long configId, long configVersion, String canonicalHash) {
        return "spanner:inflight:" + configId + ":" + configVersion + ":" + canonicalHash;
    }

    /** Pub/sub channel on which the in-flight owner announces completion of a coalesced query (the sealed answer). */
    public static String inFlightDone(long configId, long configVersion, String canonicalHash) {
        return "spanner:inflight-done:" + configId + ":" + configVersion + ":" + canonicalHash;
    }

    /** JSON {@link QueryStatus} of a query. */
    public static String queryStatus(String queryId) {
        return "spanner:query:" + queryId + ":status";
    }

    /**
     * The id of the API key that asked a query (decimal), written by the gateway that took it: its status and results
     * are shown to that key and to admin keys only.
     */
    public static String queryAsker(String queryId) {
        return "spanner:query:" + queryId + ":asker";
    }

    /** The merged answer of an async query (DICOM JSON array), sealed ({@code SealedCodec}). */
    public static String queryResult(String queryId) {
        return "spanner:query:" + queryId + ":result";
    }

    /** Last C-ECHO health of a DICOM source (JSON). */
    public static String sourceHealth(long sourceId) {
        return "spanner:health:source:" + sourceId;
    }

    /** Circuit-breaker state of a DICOM source, shared by every worker. */
    public static String sourceCircuit(long sourceId) {
        return "spanner:circuit:source:" + sourceId;
    }

    /**
     * The leases on a source's associations across the worker fleet: a sorted set of lease ids scored by their expiry
     * (Redis server time, epoch milliseconds). Hash-tagged, so companion keys of the same source ({@code
     * spanner:{assoc:42}:...}) land in its Redis Cluster slot.
     */
    public static String sourceAssociations(long sourceId) {
        return "spanner:{assoc:" + sourceId + "}:leases";
    }

    /**
     * The workers serving a source, as a sorted set of worker instance ids scored by expiry; in {@link
     * #sourceAssociations}'s slot. Tells each worker its share of the source's associations while Redis is away.
     */
    public static String sourceAssociationWorkers(long sourceId) {
        return "spanner:{assoc:" + sourceId + "}:workers";
    }

    /** The newest capability probe of a source's matching keys (JSON {@link ProbeStatus}). */
    public static String matchingProbe(long sourceId) {
        return "spanner:probe:source:" + sourceId;
    }

    /** Held (SET NX) by the one worker that runs a {@link ProbeRequest}. */
    public static String matchingProbeClaim(String requestId) {
        return "spanner:probe:claim:" + requestId;
    }
}
