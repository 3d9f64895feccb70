package io.dicomspanner.common.messaging;

/**
 * The one place that knows the RabbitMQ topology (DESIGN.md "State"). Every service declares what it uses from these
 * names; declarations are idempotent, so any service may start first.
 *
 * <pre>
 * entry ──{@link #REQUESTS_EXCHANGE}──▶ {@link #REQUESTS_QUEUE} ──▶ any coordinator
 * coordinator ──{@link #TASKS_EXCHANGE} (direct, routing key = source id)──▶ {@link #taskQueue(long)} ──▶ workers of that source
 * worker ──default exchange, routing key = task.replyTo──▶ the coordinator instance's reply queue
 * coordinator ──default exchange, routing key = request.replyTo──▶ the entry instance's reply queue
 * coordinator ──{@link #CANCEL_EXCHANGE} (fanout)──▶ every worker (stop the tasks of a cancelled query)
 * gateway ──{@link #HEALTH_ECHO_EXCHANGE} (direct, routing key = source id)──▶ the workers of that source (fresh C-ECHO)
 * rejected / expired ──{@link #DEAD_LETTER_EXCHANGE}──▶ {@link #DEAD_LETTER_QUEUE}
 * </pre>
 *
 * <p>The types and arguments of these names are declared in one place, {@link TopologyDeclarations}.
 */
public final class Topology {
    public static final String REQUESTS_EXCHANGE = "spanner.requests";
    public static final String REQUESTS_QUEUE = "spanner.requests";
    public static final String TASKS_EXCHANGE = "spanner.tasks";
    public static final String CANCEL_EXCHANGE = "spanner.cancel";
    public static final String DEAD_LETTER_EXCHANGE = "spanner.dlx";
    public static final String DEAD_LETTER_QUEUE = "spanner.dead-letters";
    /**
     * {@link EchoRequest}s and {@link ProbeRequest}s: a worker binds a queue of its own for each source it serves, with
     * routing keys {@link #healthEchoRoutingKey(long)} and {@link #matchingProbeRoutingKey(long)}.
     */
    public static final String HEALTH_ECHO_EXCHANGE = "spanner.health-echo";

    /** Prefix of per-instance reply queues (exclusive, auto-delete): {@code spanner.results.<instance>}. */
    public static final String RESULTS_QUEUE_PREFIX = "spanner.results.";
    /** Prefix of per-instance answer queues at the entry points: {@code spanner.answers.<instance>}. */
    public static final String ANSWERS_QUEUE_PREFIX = "spanner.answers.";
    /** Prefix of each worker's own queue on {@link #CANCEL_EXCHANGE}: {@code spanner.cancel.worker.<worker>}. */
    public static final String CANCEL_QUEUE_PREFIX = "spanner.cancel.worker.";
    /** Prefix of each worker's own queue on {@link #HEALTH_ECHO_EXCHANGE}: {@code spanner.health-echo.worker.<worker>}. */
    public static final String HEALTH_ECHO_QUEUE_PREFIX = "spanner.health-echo.worker.";

    /** Message header carrying the query id on every message of a query, for tracing and dead-letter inspection. */
    public static final String HEADER_QUERY_ID = "spanner-query-id";

    private Topology() {}

    /** The queue that holds the tasks of one DICOM source. */
    public static String taskQueue(long sourceId) {
        return "spanner.tasks.source." + sourceId;
    }

    /** The routing key of {@link EchoRequest}s for one DICOM source on {@link #HEALTH_ECHO_EXCHANGE}. */
    public static String healthEchoRoutingKey(long sourceId) {
        return Long.toString(sourceId);
    }

    /**
     * The routing key of {@link ProbeRequest}s for one DICOM source on {@link #HEALTH_ECHO_EXCHANGE}: a worker binds its
     * echo queue with it too, for each source it serves.
     */
    public static String matchingProbeRoutingKey(long sourceId) {
        return "probe." + sourceId;
    }

    /** The routing key of tasks for one DICOM source on {@link #TASKS_EXCHANGE}. */
    public static String taskRoutingKey(long sourceId) {
        return Long.toString(sourceId);
    }
}
