package io.dicomspanner.common.messaging;

/**
 * The one place that knows the Redis key layout. Every key starts with {@code spanner:} so an operator can scan or
 * flush the spanner's state alone.
 *
 * <p>Keys that are read or written together carry one Redis Cluster hash tag (the part in braces), so that a Lua
 * script, MULTI, a pipeline whose order matters or a multi-key command (MGET, DEL of several keys) touching them stays
 * in one hash slot on one node: the keys of one query share {@code {q:<queryId>}}, the cache entry, the in-flight key
 * and the done channel of one canonical query share {@code {c:<config>:<version>:<hash>}}, and the circuit state of a
 * source and its trial key share {@code {s:<sourceId>}}. On a standalone Redis the braces are just characters.
 */
public final class RedisKeys {
    private RedisKeys() {}

    /** Complete merged answer of a query (before paging), valid for one config version; sealed ({@code SealedCodec}).
     */
    public static String resultCache(long configId, long configVersion, String canonicalHash) {
        return canonicalQuery(configId, configVersion, canonicalHash) + ":cache";
    }

    /** Held (SET NX PX) by the coordinator fanning out a query; others wait for it instead of fanning out again. */
    public static String inFlight(long configId, long configVersion, String canonicalHash) {
        return canonicalQuery(configId, configVersion, canonicalHash) + ":inflight";
    }

    /** Pub/sub channel on which the in-flight owner announces completion of a coalesced query (the sealed answer). */
    public static String inFlightDone(long configId, long configVersion, String canonicalHash) {
        return canonicalQuery(configId, configVersion, canonicalHash) + ":inflight-done";
    }

    /**
     * The pattern of every {@link #inFlightDone} channel, for one PSUBSCRIBE (glob: the braces match themselves).
     */
    public static final String IN_FLIGHT_DONE_PATTERN = "spanner:{c:*}:inflight-done";

    /** The tagged prefix the cache entry, in-flight key and done channel of one canonical query share. */
    private static String canonicalQuery(long configId, long configVersion, String canonicalHash) {
        return "spanner:{c:" + configId + ":" + configVersion + ":" + canonicalHash + "}";
    }

    /** The tagged prefix every key of one query shares. */
    private static String query(String queryId) {
        return "spanner:{q:" + queryId + "}";
    }

    /** JSON {@link QueryStatus} of a query. */
    public static String queryStatus(String queryId) {
        return query(queryId) + ":status";
    }

    /**
     * The id of the API key that asked a query (decimal), written by the gateway that took it: its status and results
     * are shown to that key and to admin keys only.
     */
    public static String queryAsker(String queryId) {
        return query(queryId) + ":asker";
    }

    /**
     * The console searches an API key started lately: a sorted set of query ids scored by their start (epoch millis),
     * kept as long as a query's asker; one key per API key, in a slot of its own.
     */
    public static String consoleQueriesOf(long apiKeyId) {
        return "spanner:{k:" + apiKeyId + "}:console-queries";
    }

    /** The merged answer of an async query (DICOM JSON array), sealed ({@code SealedCodec}). */
    public static String queryResult(String queryId) {
        return query(queryId) + ":result";
    }

    /**
     * The records of an async query whose copies on several sources disagree on Patient ID (a JSON array of
     * {@link ConflictingCopies}), sealed ({@code SealedCodec}) as the result is; absent when there are none.
     */
    public static String queryConflicts(String queryId) {
        return query(queryId) + ":conflicts";
    }

    /** Last C-ECHO health of a DICOM source (JSON). */
    public static String sourceHealth(long sourceId) {
        return "spanner:health:source:" + sourceId;
    }

    /** Circuit-breaker state of a DICOM source, shared by every worker (a hash). */
    public static String sourceCircuit(long sourceId) {
        return "spanner:circuit:{s:" + sourceId + "}";
    }

    /**
     * Held (SET NX) by the one worker that runs the trial task of a half-open circuit; deleted together with
     * {@link #sourceCircuit}, so it shares its hash tag.
     */
    public static String sourceCircuitTrial(long sourceId) {
        return sourceCircuit(sourceId) + ":trial";
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
